package io.tracewire.test;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import io.tracewire.core.StreamEvent;
import io.tracewire.core.message.BaseMessage;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * The golden-file encoder on Jackson: every Jackson use of the kit is in this class.
 *
 * <p>Line shape: {@code {"seq":0,"event":...,"name":...,"run":"r0","parents":[...],"tags":[...],
 * "metadata":{...},"data":...}}; the timestamp is left out (normalised away). Inside
 * {@code metadata} and {@code data}: map keys sorted, map entries mapped to {@code null} kept
 * (LangChain tells a missing key from a {@code null} one), {@code null} record fields left out,
 * messages carrying their {@code "type"} (LangChain's class name) first, throwables reduced to
 * {@code {"type": class name, "message": ...}} (no stack traces), objects without properties
 * written as {@code {}}.
 *
 * <p>Thread-safe (the mapper is configured once, then only used).
 */
final class JacksonGoldenEncoder implements GoldenEncoder {
  private final JsonMapper mapper;

  /** Writes each message's {@code type()} (LangChain's class name) first, whatever the declared type of its container. */
  @JsonPropertyOrder({"type"})
  private interface MessageMixin {
    @JsonProperty("type")
    String type();
  }

  private static final class ThrowableSerializer extends StdSerializer<Throwable> {
    private static final long serialVersionUID = 1L;

    ThrowableSerializer() {
      super(Throwable.class);
    }

    @Override
    public void serialize(Throwable t, JsonGenerator gen, SerializerProvider provider) throws IOException {
      gen.writeStartObject();
      gen.writeStringField("type", t.getClass().getName());
      gen.writeStringField("message", t.getMessage());
      gen.writeEndObject();
    }
  }

  JacksonGoldenEncoder() {
    SimpleModule module = new SimpleModule("tracewire-golden");
    module.addSerializer(Throwable.class, new ThrowableSerializer());
    this.mapper = JsonMapper.builder()
        .addModule(module)
        .addMixIn(BaseMessage.class, MessageMixin.class)
        .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
        .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
        .defaultPropertyInclusion(JsonInclude.Value.construct(JsonInclude.Include.NON_NULL, JsonInclude.Include.ALWAYS))
        .build();
  }

  @Override
  public String encode(StreamEvent e) {
    ObjectNode n = mapper.createObjectNode();
    n.put("seq", e.seq());
    n.put("event", e.event());
    n.put("name", e.name());
    n.put("run", e.runId());
    ArrayNode parents = n.putArray("parents");
    e.parentIds().forEach(parents::add);
    ArrayNode tags = n.putArray("tags");
    e.tags().forEach(tags::add);
    n.set("metadata", mapper.valueToTree(e.metadata()));
    n.set("data", mapper.valueToTree(e.data()));
    try {
      return mapper.writeValueAsString(n);
    } catch (JsonProcessingException ex) {
      throw new UncheckedIOException("cannot encode " + e.event() + " '" + e.name() + "' for a golden file", ex);
    }
  }
}
