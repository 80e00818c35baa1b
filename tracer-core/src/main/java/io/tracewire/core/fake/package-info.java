/**
 * Deterministic fake models with LangChain's exact streaming behaviour, for tests, docs and the
 * demo: {@link io.tracewire.core.fake.GenericFakeChatModel},
 * {@link io.tracewire.core.fake.FakeListChatModel}, {@link io.tracewire.core.fake.FakeListLLM},
 * {@link io.tracewire.core.fake.FakeStreamingListLLM}. Each is thread-safe: concurrent calls
 * take responses from the shared source one at a time.
 */
package io.tracewire.core.fake;
