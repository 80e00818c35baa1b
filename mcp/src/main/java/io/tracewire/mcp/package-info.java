/**
 * Tracing for the official MCP Java SDK ({@code io.modelcontextprotocol.sdk}): on the client,
 * {@code tools/call}, {@code resources/read} and {@code prompts/get} become {@code tool},
 * {@code retriever} and {@code prompt} runs, and the W3C trace context with the caller's run path
 * travels in the request's {@code params._meta}; on the server, tool and resource handlers run as
 * runs that continue the caller's tree. Start at {@link io.tracewire.mcp.McpTracing}.
 */
package io.tracewire.mcp;
