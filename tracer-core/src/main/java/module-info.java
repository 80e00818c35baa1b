/**
 * Tracewire's core: runnables, run config and context, the event model, the sink SPI and event
 * bus, messages, chat models and fakes. Depends on nothing but {@code java.logging}.
 * {@code io.tracewire.core.internal} is the engine, {@code io.tracewire.core.event.spi} the one
 * seam through which the API reaches it, and {@code io.tracewire.core.util} the value helpers
 * beneath the API; none is exported, and each may change in any release.
 */
module io.tracewire.core {
  requires java.logging;

  exports io.tracewire.core;
  exports io.tracewire.core.context;
  exports io.tracewire.core.event;
  exports io.tracewire.core.fake;
  exports io.tracewire.core.message;
  exports io.tracewire.core.model;
  exports io.tracewire.core.parser;
  exports io.tracewire.core.prompt;
  exports io.tracewire.core.retriever;
  exports io.tracewire.core.runnable;
  exports io.tracewire.core.sink;
  exports io.tracewire.core.tool;

  uses io.tracewire.core.context.RunContextStorage;
}
