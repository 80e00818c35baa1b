package io.tracewire.cli;

import io.tracewire.core.event.StreamEvent;
import io.tracewire.core.message.AIMessageChunk;
import io.tracewire.core.message.BaseMessage;
import io.tracewire.core.message.UsageMetadata;
import io.tracewire.exporters.console.TerminalText;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/** Renders events the way LangChain's streaming guide prints them (Python dict notation). */
final class Repr {
  private Repr() {}

  static String event(StreamEvent e) {
    StringBuilder sb = new StringBuilder("{");
    sb.append("'event': ").append(str(e.event()));
    sb.append(", 'data': ").append(value(e.data()));
    sb.append(", 'name': ").append(str(e.name()));
    sb.append(", 'tags': ").append(value(e.tags()));
    sb.append(", 'run_id': ").append(str(e.runId()));
    sb.append(", 'metadata': ").append(value(e.metadata()));
    sb.append(", 'parent_ids': ").append(value(e.parentIds()));
    return sb.append('}').toString();
  }

  static String value(Object o) {
    if (o == null) {
      return "None";
    }
    if (o instanceof String s) {
      return str(s);
    }
    if (o instanceof Boolean b) {
      return b ? "True" : "False";
    }
    if (o instanceof Number n) {
      return n.toString();
    }
    if (o instanceof Map<?, ?> m) {
      StringBuilder sb = new StringBuilder("{");
      Iterator<? extends Map.Entry<?, ?>> it = m.entrySet().iterator();
      while (it.hasNext()) {
        Map.Entry<?, ?> en = it.next();
        sb.append(value(en.getKey())).append(": ").append(value(en.getValue()));
        if (it.hasNext()) {
          sb.append(", ");
        }
      }
      return sb.append('}').toString();
    }
    if (o instanceof List<?> l) {
      StringBuilder sb = new StringBuilder("[");
      for (int i = 0; i < l.size(); i++) {
        if (i > 0) {
          sb.append(", ");
        }
        sb.append(value(l.get(i)));
      }
      return sb.append(']').toString();
    }
    if (o instanceof AIMessageChunk c) {
      StringBuilder sb = new StringBuilder("AIMessageChunk(content=").append(value(c.content()));
      sb.append(", additional_kwargs=").append(value(c.additionalKwargs()));
      sb.append(", response_metadata=").append(value(c.responseMetadata()));
      sb.append(", id=").append(value(c.id()));
      if (c.usageMetadata() != null) {
        sb.append(", usage_metadata=").append(usage(c.usageMetadata()));
      }
      if (c.chunkPosition() != null) {
        sb.append(", chunk_position='last'");
      }
      return sb.append(')').toString();
    }
    if (o instanceof io.tracewire.core.prompt.PromptValue.Chat c) {
      return "ChatPromptValue(messages=" + value(c.messages()) + ")";
    }
    if (o instanceof io.tracewire.core.prompt.PromptValue.Text t) {
      return "StringPromptValue(text=" + str(t.text()) + ")";
    }
    if (o instanceof BaseMessage m) {
      return m.type() + "(content=" + value(m.content()) + (m.id() == null ? "" : ", id=" + str(m.id())) + ")";
    }
    return str(o.toString());
  }

  static String usage(UsageMetadata u) {
    StringBuilder sb = new StringBuilder("{'input_tokens': ").append(u.inputTokens()).append(", 'output_tokens': ")
        .append(u.outputTokens()).append(", 'total_tokens': ").append(u.totalTokens());
    if (u.inputTokenDetails() != null) {
      sb.append(", 'input_token_details': {");
      String sep = "";
      if (u.inputTokenDetails().cacheCreation() != null) {
        sb.append("'cache_creation': ").append(u.inputTokenDetails().cacheCreation());
        sep = ", ";
      }
      if (u.inputTokenDetails().cacheRead() != null) {
        sb.append(sep).append("'cache_read': ").append(u.inputTokenDetails().cacheRead());
      }
      sb.append('}');
    }
    return sb.append('}').toString();
  }

  /** A Python string literal; control characters are escaped by {@link TerminalText} ({@code \n}, {@code \e}, {@code \x07}...). */
  static String str(String s) {
    return "'" + TerminalText.escape(s.replace("\\", "\\\\").replace("'", "\\'")) + "'";
  }
}
