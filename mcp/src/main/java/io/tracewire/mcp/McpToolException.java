package io.tracewire.mcp;

/**
 * The error a {@code tool} run of an MCP tool call ends with when the tool's result has
 * {@code isError: true}: the message is the result's text (what the tool said went wrong). It is
 * recorded on the run ({@code on_tool_error}) only: the MCP client still returns the result, and
 * the server still sends it, unchanged. Immutable.
 */
public final class McpToolException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final String toolName;

  McpToolException(String toolName, String message) {
    super(message, null, false, false);
    this.toolName = toolName;
  }

  /** The name of the tool whose result was an error. */
  public String toolName() {
    return toolName;
  }
}
