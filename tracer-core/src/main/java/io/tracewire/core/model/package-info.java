/**
 * Language models as runs: {@link io.tracewire.core.model.BaseChatModel} (chat models, with
 * token streaming, {@code ls_*} metadata and usage) and {@link io.tracewire.core.model.BaseLLM}
 * (text completion), the normalised {@link io.tracewire.core.model.ChatRequest}, and LangChain's
 * generation values. Provider adapters extend these bases; deterministic fakes are in
 * {@code io.tracewire.core.fake}.
 *
 * <p>Models are thread-safe when their provider calls are; each call is one run that ends exactly
 * once (end, error or cancel).
 */
package io.tracewire.core.model;
