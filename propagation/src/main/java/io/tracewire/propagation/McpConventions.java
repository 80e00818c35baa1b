package io.tracewire.propagation;

/**
 * The run metadata keys by which an MCP request run is recognised, shared by every bridge that
 * records one ({@code tracewire-mcp} for the official SDK, the LangChain4j and Spring AI bridges
 * for their MCP tools) and read by the OpenTelemetry bridge, which names such a run's span
 * {@code {mcp.method.name} {target}} (for example {@code tools/call get_weather}) with kind
 * {@code CLIENT} or {@code SERVER} after {@value #SIDE}. Both {@value #METHOD_NAME} and
 * {@value #SIDE} must be present, as the run's own metadata (not inherited by its children, which
 * are not MCP requests). Constants only; compile-time constants, so a bridge that names them does
 * not need this module at run time.
 */
public final class McpConventions {
  /** Run metadata (and span attribute): the JSON-RPC method, such as {@value #TOOLS_CALL}. */
  public static final String METHOD_NAME = "mcp.method.name";
  /** Run metadata: {@value #CLIENT} or {@value #SERVER}, which side of the MCP request the run is. */
  public static final String SIDE = "tracewire.mcp.side";
  /** The {@value #SIDE} of a client run. */
  public static final String CLIENT = "client";
  /** The {@value #SIDE} of a server run. */
  public static final String SERVER = "server";
  /** The {@value #METHOD_NAME} of a tool call. */
  public static final String TOOLS_CALL = "tools/call";

  private McpConventions() {}
}
