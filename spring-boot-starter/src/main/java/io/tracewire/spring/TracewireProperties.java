package io.tracewire.spring;

import io.tracewire.core.sink.OverflowPolicy;
import io.tracewire.exporters.jsonl.FsyncPolicy;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;

/**
 * The {@code tracewire.*} configuration keys (IDE completion comes from the metadata the
 * configuration processor generates from this class). Bound once at startup; a value that does
 * not convert (an unknown {@code tracewire.jsonl.policy}, say) fails the startup with Spring
 * Boot's binding error, which names the property. Mutable JavaBean for binding only; not
 * thread-safe, and not read after startup.
 */
@ConfigurationProperties(prefix = "tracewire")
public class TracewireProperties {
  /** Whether the starter installs Tracewire at all. */
  private boolean enabled = true;
  /** Tags added to every root run the Spring AI bridge starts (inherited by the whole tree). */
  private List<String> tags = new ArrayList<>();
  /** Metadata added to every root run the Spring AI bridge starts (inherited by the whole tree). */
  private Map<String, String> metadata = new LinkedHashMap<>();
  /** How long closing the sinks at context shutdown waits for them to drain. */
  private Duration closeTimeout = Duration.ofSeconds(5);

  private final Jsonl jsonl = new Jsonl();
  private final Console console = new Console();
  private final Otel otel = new Otel();
  private final Dashboard dashboard = new Dashboard();
  private final SpringAi springAi = new SpringAi();

  public boolean isEnabled() {
    return enabled;
  }

  public void setEnabled(boolean enabled) {
    this.enabled = enabled;
  }

  public List<String> getTags() {
    return tags;
  }

  public void setTags(List<String> tags) {
    this.tags = tags;
  }

  public Map<String, String> getMetadata() {
    return metadata;
  }

  public void setMetadata(Map<String, String> metadata) {
    this.metadata = metadata;
  }

  public Duration getCloseTimeout() {
    return closeTimeout;
  }

  public void setCloseTimeout(Duration closeTimeout) {
    this.closeTimeout = closeTimeout;
  }

  public Jsonl getJsonl() {
    return jsonl;
  }

  public Console getConsole() {
    return console;
  }

  public Otel getOtel() {
    return otel;
  }

  public Dashboard getDashboard() {
    return dashboard;
  }

  public SpringAi getSpringAi() {
    return springAi;
  }

  /** {@code tracewire.jsonl.*}: the JSONL event log. */
  public static class Jsonl {
    /** The active JSONL file; no file is written when unset. A missing directory is created; it must be writable. */
    private Path path;
    /** When lines are forced to the storage device. */
    private FsyncPolicy fsync = FsyncPolicy.NEVER;
    /** What the sink's queue does when it is full: block, drop-newest or drop-oldest. */
    private OverflowPolicy policy = OverflowPolicy.BLOCK;
    /** Capacity of the sink's event queue. */
    private int capacity = io.tracewire.core.sink.SinkConfig.DEFAULT_CAPACITY;
    private final Rotation rotation = new Rotation();

    public Path getPath() {
      return path;
    }

    public void setPath(Path path) {
      this.path = path;
    }

    public FsyncPolicy getFsync() {
      return fsync;
    }

    public void setFsync(FsyncPolicy fsync) {
      this.fsync = fsync;
    }

    public OverflowPolicy getPolicy() {
      return policy;
    }

    public void setPolicy(OverflowPolicy policy) {
      this.policy = policy;
    }

    public int getCapacity() {
      return capacity;
    }

    public void setCapacity(int capacity) {
      this.capacity = capacity;
    }

    public Rotation getRotation() {
      return rotation;
    }
  }

  /** {@code tracewire.jsonl.rotation.*}: when the active file is rotated to {@code NAME.1}, {@code NAME.2}, ... */
  public static class Rotation {
    /** Rotate before a batch would make the file larger than this; unset for no size limit. */
    private DataSize maxSize;
    /** Rotate a non-empty file once it is this old; unset for no age limit. */
    private Duration every;

    public DataSize getMaxSize() {
      return maxSize;
    }

    public void setMaxSize(DataSize maxSize) {
      this.maxSize = maxSize;
    }

    public Duration getEvery() {
      return every;
    }

    public void setEvery(Duration every) {
      this.every = every;
    }
  }

  /** {@code tracewire.console.*}: a console sink on standard output. */
  public static class Console {
    /** Whether events are printed to standard output. */
    private boolean enabled;
    /** Whether the console output is indented as a run tree. */
    private boolean tree = true;

    public boolean isEnabled() {
      return enabled;
    }

    public void setEnabled(boolean enabled) {
      this.enabled = enabled;
    }

    public boolean isTree() {
      return tree;
    }

    public void setTree(boolean tree) {
      this.tree = tree;
    }
  }

  /** {@code tracewire.otel.*}: runs as OpenTelemetry spans. */
  public static class Otel {
    /** Whether runs become OpenTelemetry spans. Reuses the application's OpenTelemetry bean when there is one. */
    private boolean enabled;
    /** OTLP endpoint of a standalone SDK (used only when the application has no OpenTelemetry bean). */
    private String endpoint;
    /** Whether messages, inputs, outputs and tool arguments are recorded on spans. */
    private boolean contentCapture;
    /**
     * Whether a run's span is made the current OpenTelemetry context on the thread that starts
     * it. Off by default here: a streamed Spring AI run starts on the request thread and ends on
     * an HTTP client thread, and its scope would stay open on the request thread until the
     * bridge next sees an event there. Root runs join the current trace either way.
     */
    private boolean makeSpansCurrent;
    /**
     * Which side records the GenAI spans (ChatClient, advisors, models, tools, vector stores) when
     * Spring AI's observations are traced too; see docs/spring-observability.md.
     */
    private GenAiSpans genAiSpans = GenAiSpans.AUTO;
    private final Logs logs = new Logs();

    public GenAiSpans getGenAiSpans() {
      return genAiSpans;
    }

    public void setGenAiSpans(GenAiSpans genAiSpans) {
      this.genAiSpans = java.util.Objects.requireNonNull(genAiSpans, "genAiSpans");
    }

    public boolean isEnabled() {
      return enabled;
    }

    public void setEnabled(boolean enabled) {
      this.enabled = enabled;
    }

    public String getEndpoint() {
      return endpoint;
    }

    public void setEndpoint(String endpoint) {
      this.endpoint = endpoint;
    }

    public Logs getLogs() {
      return logs;
    }

    public boolean isMakeSpansCurrent() {
      return makeSpansCurrent;
    }

    public void setMakeSpansCurrent(boolean makeSpansCurrent) {
      this.makeSpansCurrent = makeSpansCurrent;
    }

    public boolean isContentCapture() {
      return contentCapture;
    }

    public void setContentCapture(boolean contentCapture) {
      this.contentCapture = contentCapture;
    }
  }

  /**
   * {@code tracewire.otel.gen-ai-spans}: who records the spans of Spring AI's calls when Spring AI's
   * own observations become spans too (Micrometer tracing), so that each call is one span, not two.
   * The events (JSONL, dashboard, sinks) are complete in every mode.
   */
  public enum GenAiSpans {
    /** {@code spring} when a Micrometer tracing observation handler is a bean of the context, else {@code both} (the default). */
    AUTO,
    /**
     * Spring AI's observation spans stand: Tracewire's runs for ChatClient prompts, models, tools
     * and vector stores get no span, and the spans of other runs inside them (code traced in a
     * {@code @Tool}) take Spring's current observation span as parent.
     */
    SPRING,
    /**
     * Tracewire's spans stand: Spring AI's observations (names {@code spring.ai.*},
     * {@code gen_ai.client.operation}, {@code db.vector.client.operation}) are turned off with an
     * {@code ObservationPredicate}, which also drops their Micrometer metrics.
     */
    TRACEWIRE,
    /** Both record their spans (each call twice). */
    BOTH
  }

  /** {@code tracewire.otel.logs.*}: events as OpenTelemetry log records over OTLP. */
  public static class Logs {
    /** Whether events are also sent as OTLP log records (linked to their spans when tracewire.otel.enabled). */
    private boolean enabled;
    /** OTLP endpoint of the log records (http://host:4318); default tracewire.otel.endpoint, then the OTEL_* variables. */
    private String endpoint;

    public boolean isEnabled() {
      return enabled;
    }

    public void setEnabled(boolean enabled) {
      this.enabled = enabled;
    }

    public String getEndpoint() {
      return endpoint;
    }

    public void setEndpoint(String endpoint) {
      this.endpoint = endpoint;
    }
  }

  /** {@code tracewire.dashboard.*}: the embedded live dashboard. */
  public static class Dashboard {
    /** Whether the dashboard is served. */
    private boolean enabled;
    /** TCP port of the dashboard; 0 for any free port. */
    private int port = io.tracewire.dashboard.Dashboard.Builder.DEFAULT_PORT;
    /** Address the dashboard binds to; a non-loopback address requires a token. */
    private String bind = io.tracewire.dashboard.Dashboard.Builder.DEFAULT_BIND_ADDRESS;
    /** Access token (at least 16 characters) clients must present; required for a non-loopback bind. */
    private String token;

    public boolean isEnabled() {
      return enabled;
    }

    public void setEnabled(boolean enabled) {
      this.enabled = enabled;
    }

    public int getPort() {
      return port;
    }

    public void setPort(int port) {
      this.port = port;
    }

    public String getBind() {
      return bind;
    }

    public void setBind(String bind) {
      this.bind = bind;
    }

    public String getToken() {
      return token;
    }

    public void setToken(String token) {
      this.token = token;
    }
  }

  /** {@code tracewire.spring-ai.*}: the Spring AI bridge. */
  public static class SpringAi {
    /** Whether ChatModel, ToolCallingManager and VectorStore beans and ChatClient prompts are traced. */
    private boolean enabled = true;
    /**
     * Whether the starter turns on Reactor's automatic context propagation, so that work Spring
     * AI runs on other Reactor threads (RAG queries, tool calls of streamed prompts) nests under
     * the prompt's run.
     */
    private boolean reactorContextPropagation = true;

    public boolean isEnabled() {
      return enabled;
    }

    public void setEnabled(boolean enabled) {
      this.enabled = enabled;
    }

    public boolean isReactorContextPropagation() {
      return reactorContextPropagation;
    }

    public void setReactorContextPropagation(boolean reactorContextPropagation) {
      this.reactorContextPropagation = reactorContextPropagation;
    }
  }
}
