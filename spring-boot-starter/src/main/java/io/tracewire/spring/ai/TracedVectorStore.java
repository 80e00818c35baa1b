package io.tracewire.spring.ai;

import io.tracewire.core.retriever.BaseRetriever;
import io.tracewire.core.retriever.Document;
import io.tracewire.core.RunConfig;
import io.tracewire.spring.internal.SpringObservedRuns;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.springframework.ai.vectorstore.SearchRequest;
import org.springframework.ai.vectorstore.VectorStore;
import org.springframework.util.ClassUtils;

/**
 * Traces a Spring AI {@link VectorStore}: every {@code similaritySearch} (the query of
 * {@code QuestionAnswerAdvisor}, {@code VectorStoreDocumentRetriever} in
 * {@code RetrievalAugmentationAdvisor}, or a direct call) is one {@code retriever} run named
 * after the store class, with {@code {"query": ...}} as input, the documents (text, metadata,
 * id; the similarity score under {@code metadata.score}) as output, and
 * {@code ls_retriever_name} (the store's lower-cased class name). Writes and deletes are not
 * traced. A JDK proxy over the store's interfaces (inject {@code VectorStore}, not the concrete
 * class). The parent is found as described in {@link BridgeContext}. Errors reach the caller
 * unchanged. Thread-safe when the store is.
 */
final class TracedVectorStore implements InvocationHandler {
  private static final Logger LOG = Logger.getLogger(TracedVectorStore.class.getName());

  private final VectorStore target;
  private final BridgeContext context;

  private TracedVectorStore(VectorStore target, BridgeContext context) {
    this.target = target;
    this.context = context;
  }

  static VectorStore wrap(VectorStore target, BridgeContext context) {
    Class<?>[] interfaces = ClassUtils.getAllInterfacesForClass(target.getClass(), target.getClass().getClassLoader());
    return (VectorStore) Proxy.newProxyInstance(target.getClass().getClassLoader(), interfaces,
        new TracedVectorStore(target, context));
  }

  static boolean isTraced(Object bean) {
    return Proxy.isProxyClass(bean.getClass()) && Proxy.getInvocationHandler(bean) instanceof TracedVectorStore;
  }

  @Override
  public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
    int n = args == null ? 0 : args.length;
    if (n == 1 && method.getName().equals("similaritySearch")) {
      SearchRequest request = args[0] instanceof SearchRequest sr ? sr
          : args[0] instanceof String q ? SearchRequest.builder().query(q).build() : null;
      if (request != null) {
        return search(request);
      }
    }
    if (n == 0 && method.getName().equals("toString")) {
      return "Traced(" + target + ")";
    }
    if (n == 0 && method.getName().equals("hashCode")) {
      return System.identityHashCode(proxy);
    }
    if (n == 1 && method.getName().equals("equals")) {
      return proxy == args[0];
    }
    try {
      return method.invoke(target, args);
    } catch (InvocationTargetException e) {
      throw e.getCause();
    }
  }

  private List<org.springframework.ai.document.Document> search(SearchRequest request) {
    String storeName = target.getClass().getSimpleName();
    RunConfig parent;
    try {
      parent = context.config(context.parent(), Map.of());
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "tracewire: could not start a retriever run; the search runs untraced", e);
      return target.similaritySearch(request);
    }
    @SuppressWarnings("unchecked")
    List<org.springframework.ai.document.Document>[] found = new List[1];
    BaseRetriever retriever = new BaseRetriever(storeName, List.of(), Map.of()) {
      @Override
      protected List<Document> getRelevantDocuments(String query, RunConfig childConfig) {
        SpringObservedRuns.clearMark();
        found[0] = target.similaritySearch(request);
        return documents(found[0]);
      }

      @Override
      protected String lsRetrieverName() {
        return storeName.toLowerCase(Locale.ROOT);
      }
    };
    SpringObservedRuns.markNextStart();
    try {
      retriever.invoke(request.getQuery(), parent);
    } finally {
      SpringObservedRuns.clearMark();
    }
    return found[0];
  }

  static List<Document> documents(List<org.springframework.ai.document.Document> docs) {
    List<Document> out = new ArrayList<>(docs == null ? 0 : docs.size());
    if (docs != null) {
      for (org.springframework.ai.document.Document d : docs) {
        Map<String, Object> md = new LinkedHashMap<>(d.getMetadata());
        if (d.getScore() != null) {
          md.put("score", d.getScore());
        }
        out.add(new Document(d.getText() == null ? "" : d.getText(), md, d.getId()));
      }
    }
    return out;
  }
}
