package io.tracewire.examples.mcp;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class McpExampleTest {
  @Test
  void theServersRunsNestUnderTheClientsToolRun(@TempDir Path dir) throws Exception {
    McpExample.main(new String[] {dir.toString()});
    String client = Files.readString(dir.resolve("client.jsonl"));
    String server = Files.readString(dir.resolve("server.jsonl"));
    assertThat(client).contains("\"name\":\"trip_planner\"").contains("\"event\":\"on_tool_start\"");
    assertThat(server).contains("\"tracewire.remote_parent\"").contains("\"name\":\"forecast_chain\"")
        .contains("\"name\":\"lookup\"");
    assertThat(server.lines().filter(l -> l.contains("\"parent_ids\":[]")).count())
        .as("no server run is a root").isZero();
  }
}
