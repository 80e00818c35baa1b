/**
 * Implementation shared by the starter's packages. Not an API: unstable, may change in any release.
 */
package io.tracewire.spring.internal;
