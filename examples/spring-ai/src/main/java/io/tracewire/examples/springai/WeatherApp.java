package io.tracewire.examples.springai;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * A Spring Boot app with one endpoint, {@code GET /ask?q=...}, that streams a Spring AI answer
 * over Server-Sent Events. Tracewire comes from configuration only ({@code application.properties}):
 * every request is one run tree (ChatClient chain, chat model with its token stream) written to
 * a JSONL file, printed on the console and shown on the dashboard. With the {@code replay} profile
 * the OpenAI client talks to {@link ReplayServer}, a local replay of a recorded OpenAI stream, so
 * the app runs offline.
 */
@SpringBootApplication
public class WeatherApp {
  public static void main(String[] args) {
    SpringApplication.run(WeatherApp.class, args);
  }
}
