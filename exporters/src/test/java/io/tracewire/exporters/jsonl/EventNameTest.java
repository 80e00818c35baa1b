package io.tracewire.exporters.jsonl;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.InputStream;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The reader's event-name check says what the schema's pattern says. */
class EventNameTest {
  @Test
  void theReadersCheckAgreesWithTheSchemasPattern() throws Exception {
    JsonNode schema;
    try (InputStream in = JsonlCodec.class.getResourceAsStream("jsonl-schema.json")) {
      schema = new ObjectMapper().readTree(in);
    }
    Pattern pattern = Pattern.compile(schema.at("/properties/event/pattern").asText());
    List<String> names = List.of("on_chain_start", "on_chat_model_stream", "on_tool_error", "on_custom_event",
        "on_llm_cancel", "on_My_Type2_end", "on__start", "on_start", "on_chain_BOGUS", "XYZ_start", "on_chain_start ",
        "on_ch\u00e4in_start", "on_chain-x_end", "on_custom_event_x", "on_", "", "on_chain_startx", "on_x_stream_end",
        "ON_chain_start", "on_chain_\u001b_start");
    for (String n : names) {
      assertThat(EventReader.isEventName(n)).as(n).isEqualTo(pattern.matcher(n).find());
    }
  }
}
