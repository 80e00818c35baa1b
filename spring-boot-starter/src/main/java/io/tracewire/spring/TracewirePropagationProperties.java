package io.tracewire.spring;

import java.util.ArrayList;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The {@code tracewire.propagation.*} keys: which HTTP integrations of {@code tracewire-propagation}
 * the starter installs ({@link TracewirePropagationAutoConfiguration}). Each one is on by default
 * and needs its classes on the class path as well. Mutable JavaBean for binding only; not
 * thread-safe, and not read after startup.
 */
@ConfigurationProperties(prefix = "tracewire.propagation")
public class TracewirePropagationProperties {
  /** The provider API hosts the client integrations never send run context to (see skipHosts). */
  public static final List<String> DEFAULT_SKIP_HOSTS = List.of("api.openai.com", "api.anthropic.com",
      "generativelanguage.googleapis.com", "api.mistral.ai", "api.groq.com", "api.deepseek.com", ".openai.azure.com");

  /** Whether any HTTP integration is installed. */
  private boolean enabled = true;
  /**
   * Hosts the RestClient and WebClient integrations send no run-context headers to: an exact host
   * name, or a suffix starting with '.'. Defaults to the chat providers' API hosts, so run ids do
   * not leave for a third-party API; setting the list replaces the defaults.
   */
  private List<String> skipHosts = new ArrayList<>(DEFAULT_SKIP_HOSTS);
  private final Toggle servlet = new Toggle();
  private final Toggle webflux = new Toggle();
  private final Toggle restClient = new Toggle();
  private final Toggle webClient = new Toggle();
  private final Toggle mcp = new Toggle();

  public boolean isEnabled() {
    return enabled;
  }

  public void setEnabled(boolean enabled) {
    this.enabled = enabled;
  }

  public List<String> getSkipHosts() {
    return skipHosts;
  }

  public void setSkipHosts(List<String> skipHosts) {
    this.skipHosts = skipHosts;
  }

  /** {@code tracewire.propagation.servlet.*}: the Jakarta Servlet filter continuing the caller's run. */
  public Toggle getServlet() {
    return servlet;
  }

  /** {@code tracewire.propagation.webflux.*}: the WebFlux WebFilter continuing the caller's run. */
  public Toggle getWebflux() {
    return webflux;
  }

  /** {@code tracewire.propagation.rest-client.*}: the RestClient interceptor sending the current run. */
  public Toggle getRestClient() {
    return restClient;
  }

  /** {@code tracewire.propagation.web-client.*}: the WebClient filter sending the current run. */
  public Toggle getWebClient() {
    return webClient;
  }

  /** {@code tracewire.propagation.mcp.*}: Spring AI's MCP tool calls send the current run in {@code _meta}. */
  public Toggle getMcp() {
    return mcp;
  }

  /** One integration's switch. */
  public static class Toggle {
    /** Whether this integration is installed (when its classes are present). */
    private boolean enabled = true;

    public boolean isEnabled() {
      return enabled;
    }

    public void setEnabled(boolean enabled) {
      this.enabled = enabled;
    }
  }
}
