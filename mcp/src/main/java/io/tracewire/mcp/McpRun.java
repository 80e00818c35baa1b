package io.tracewire.mcp;

import io.tracewire.core.RunConfig;
import io.tracewire.core.event.RunType;
import io.tracewire.core.runnable.RunHandle;
import io.tracewire.core.runnable.Runnable;
import java.util.Map;

/**
 * A run of an MCP client request: started when the request is sent, ended when its response
 * arrives (on the transport's thread), so it cannot be a synchronous runnable. Not invocable.
 */
final class McpRun extends Runnable<Object, Object> {
  McpRun(String name) {
    super(name);
  }

  RunHandle start(RunConfig config, RunType type, Object input) {
    return startRun(config, type, input);
  }

  /** A run whose {@code metadata} is its own, not inherited by the runs started under it. */
  RunHandle startLocal(RunType type, Object input, Map<String, Object> metadata) {
    return startRun(null, type, input, metadata);
  }

  @Override
  public Object invoke(Object input, RunConfig config) {
    throw new UnsupportedOperationException("an MCP request run is started by the traced transport");
  }
}
