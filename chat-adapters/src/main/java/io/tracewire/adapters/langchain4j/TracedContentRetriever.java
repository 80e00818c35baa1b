package io.tracewire.adapters.langchain4j;

import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.rag.content.Content;
import dev.langchain4j.rag.content.ContentMetadata;
import dev.langchain4j.rag.content.retriever.ContentRetriever;
import dev.langchain4j.rag.query.Query;
import io.tracewire.core.retriever.BaseRetriever;
import io.tracewire.core.retriever.Document;
import io.tracewire.core.RunConfig;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A LangChain4j content retriever whose retrievals are {@code retriever} runs named after the
 * delegate's class ({@code EmbeddingStoreContentRetriever}): start with {@code {"query": text}},
 * end with the contents as {@link Document}s (segment text; segment metadata plus {@code score}
 * when the retriever reports one; the embedding id as document id), {@code ls_retriever_name}
 * the class name without {@code ContentRetriever}, lower-cased. The run nests under the AI
 * Service invocation of the query's metadata, else under the thread's current run. The delegate's
 * contents and exceptions reach the caller unchanged. Thread-safe when the delegate is.
 */
final class TracedContentRetriever implements ContentRetriever {
  private final ContentRetriever delegate;
  private final String lsName;

  TracedContentRetriever(ContentRetriever delegate) {
    this.delegate = delegate;
    String n = delegate.getClass().getSimpleName();
    for (String suffix : List.of("ContentRetriever", "Retriever")) {
      if (n.endsWith(suffix) && n.length() > suffix.length()) {
        n = n.substring(0, n.length() - suffix.length());
        break;
      }
    }
    this.lsName = n.toLowerCase(Locale.ROOT);
  }

  @Override
  public List<Content> retrieve(Query query) {
    RunConfig parent = query.metadata() == null ? null : AiServiceRuns.parentConfig(query.metadata().invocationContext());
    List<Content> out = new ArrayList<>();
    BaseRetriever run = new BaseRetriever(delegate.getClass().getSimpleName(), List.of(), Map.of()) {
      @Override
      protected List<Document> getRelevantDocuments(String text, RunConfig childConfig) {
        List<Content> contents = delegate.retrieve(query);
        out.addAll(contents);
        return documents(contents);
      }

      @Override
      protected String lsRetrieverName() {
        return lsName;
      }
    };
    run.invoke(query.text(), parent);
    return out;
  }

  static List<Document> documents(List<Content> contents) {
    List<Document> docs = new ArrayList<>(contents.size());
    for (Content c : contents) {
      TextSegment seg = c.textSegment();
      Map<String, Object> md = new LinkedHashMap<>();
      if (seg != null && seg.metadata() != null) {
        md.putAll(seg.metadata().toMap());
      }
      Map<ContentMetadata, Object> cm = c.metadata();
      Object score = cm == null ? null : cm.get(ContentMetadata.SCORE);
      if (score != null) {
        md.put("score", score);
      }
      Object id = cm == null ? null : cm.get(ContentMetadata.EMBEDDING_ID);
      docs.add(new Document(seg == null ? "" : seg.text(), md, id == null ? null : String.valueOf(id)));
    }
    return docs;
  }

  @Override
  public String toString() {
    return "Traced(" + delegate + ")";
  }
}
