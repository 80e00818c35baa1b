/** The console sink: streamed tokens and a compact run tree, LangChain streaming-guide style. */
package io.tracewire.exporters.console;
