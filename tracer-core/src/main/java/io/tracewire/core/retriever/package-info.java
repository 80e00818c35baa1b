/**
 * Retrievers as runs: {@link io.tracewire.core.retriever.BaseRetriever} (query in, documents out)
 * and the {@link io.tracewire.core.retriever.Document} value. Subclasses implement the lookup; the
 * base emits {@code on_retriever_start} and {@code on_retriever_end} with the documents.
 */
package io.tracewire.core.retriever;
