package io.tracewire.spring;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.springframework.ai.tool.annotation.Tool;
import org.springframework.ai.tool.annotation.ToolParam;

/** The application's tools, called by Spring AI's tool-calling loop. */
public class WeatherTools {
  final List<String> calls = new CopyOnWriteArrayList<>();

  @Tool(name = "get_weather", description = "Current weather of a city")
  public String getWeather(@ToolParam(description = "the city", required = false) String city,
      @ToolParam(description = "the location", required = false) String location) {
    String where = city != null ? city : location;
    calls.add(where);
    // traced code inside a tool nests under the tool's run
    return io.tracewire.core.Tracewire.trace("lookup", () -> where.startsWith("Paris") ? "sunny, 24C"
        : where.startsWith("Rome") ? "cloudy, 19C" : "18C, foggy");
  }
}
