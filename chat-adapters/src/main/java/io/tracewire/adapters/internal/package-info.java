/**
 * Wire formats, framing, HTTP execution and mappers shared by the adapters. Unstable: not part
 * of the public API; may change in any release.
 */
package io.tracewire.adapters.internal;
