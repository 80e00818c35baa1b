package io.tracewire.core.fake;

import io.tracewire.core.model.BaseLLM;
import java.util.List;

/** LangChain's {@code FakeListLLM}: cycles through fixed responses; does not stream. */
public class FakeListLLM extends BaseLLM {
  private final List<String> responses;
  private int i;

  public FakeListLLM(List<String> responses) {
    if (responses.isEmpty()) {
      throw new IllegalArgumentException("responses must not be empty");
    }
    this.responses = List.copyOf(responses);
  }

  synchronized String nextResponse() {
    String r = responses.get(i);
    i = i < responses.size() - 1 ? i + 1 : 0;
    return r;
  }

  @Override
  protected String call(String prompt, List<String> stop) {
    return nextResponse();
  }
}
