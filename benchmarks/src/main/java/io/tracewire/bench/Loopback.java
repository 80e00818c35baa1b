package io.tracewire.bench;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import javax.net.ServerSocketFactory;
import javax.net.SocketFactory;
import mockwebserver3.MockResponse;

/**
 * What the HTTP benchmarks share: an OpenAI chat-completions SSE body, and socket factories that
 * turn Nagle's algorithm off on both ends of a loopback connection (otherwise delayed ACKs put a
 * ~40 ms stall in front of the first byte of every response, which would swamp what is measured).
 */
public final class Loopback {
  private Loopback() {}

  /**
   * An OpenAI chat-completions stream: {@code chunks} content deltas, a finish chunk with
   * {@code finish_reason: stop}, a usage chunk and {@code [DONE]}.
   */
  public static String openAiStream(int chunks) {
    StringBuilder sb = new StringBuilder();
    String head = "data: {\"id\":\"chatcmpl-1\",\"object\":\"chat.completion.chunk\",\"created\":1735689600,"
        + "\"model\":\"gpt-4o-mini\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"";
    for (int i = 0; i < chunks; i++) {
      sb.append(head).append(i % 7 == 0 ? " wor" : "ds").append("\"},\"logprobs\":null,\"finish_reason\":null}],\"usage\":null}\n\n");
    }
    sb.append("data: {\"id\":\"chatcmpl-1\",\"object\":\"chat.completion.chunk\",\"created\":1735689600,\"model\":\"gpt-4o-mini\","
        + "\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}],\"usage\":null}\n\n");
    sb.append("data: {\"id\":\"chatcmpl-1\",\"object\":\"chat.completion.chunk\",\"created\":1735689600,\"model\":\"gpt-4o-mini\","
        + "\"choices\":[],\"usage\":{\"prompt_tokens\":9,\"completion_tokens\":" + chunks + ",\"total_tokens\":" + (chunks + 9) + "}}\n\n");
    sb.append("data: [DONE]\n\n");
    return sb.toString();
  }

  /** A {@code text/event-stream} response with this body. */
  public static MockResponse sseResponse(String body) {
    return new MockResponse.Builder().addHeader("Content-Type", "text/event-stream").body(body).build();
  }

  /** Server sockets whose accepted connections have TCP_NODELAY (for {@code MockWebServer.setServerSocketFactory}). */
  public static ServerSocketFactory noDelayServerSockets() {
    return new NoDelayServerSockets();
  }

  /** Client sockets with TCP_NODELAY (for {@code OkHttpClient.Builder.socketFactory}). */
  public static SocketFactory noDelaySockets() {
    return new NoDelaySockets();
  }

  private static final class NoDelayServerSockets extends ServerSocketFactory {
    private static ServerSocket wrap() throws IOException {
      return new ServerSocket() {
        @Override
        public Socket accept() throws IOException {
          Socket s = super.accept();
          s.setTcpNoDelay(true);
          return s;
        }
      };
    }

    @Override
    public ServerSocket createServerSocket() throws IOException {
      return wrap();
    }

    @Override
    public ServerSocket createServerSocket(int port) throws IOException {
      ServerSocket s = wrap();
      s.bind(new InetSocketAddress(port));
      return s;
    }

    @Override
    public ServerSocket createServerSocket(int port, int backlog) throws IOException {
      ServerSocket s = wrap();
      s.bind(new InetSocketAddress(port), backlog);
      return s;
    }

    @Override
    public ServerSocket createServerSocket(int port, int backlog, InetAddress addr) throws IOException {
      ServerSocket s = wrap();
      s.bind(new InetSocketAddress(addr, port), backlog);
      return s;
    }
  }

  private static final class NoDelaySockets extends SocketFactory {
    private final SocketFactory d = SocketFactory.getDefault();

    private static Socket nd(Socket s) throws IOException {
      s.setTcpNoDelay(true);
      return s;
    }

    @Override
    public Socket createSocket() throws IOException {
      return nd(d.createSocket());
    }

    @Override
    public Socket createSocket(String h, int p) throws IOException {
      return nd(d.createSocket(h, p));
    }

    @Override
    public Socket createSocket(String h, int p, InetAddress la, int lp) throws IOException {
      return nd(d.createSocket(h, p, la, lp));
    }

    @Override
    public Socket createSocket(InetAddress a, int p) throws IOException {
      return nd(d.createSocket(a, p));
    }

    @Override
    public Socket createSocket(InetAddress a, int p, InetAddress la, int lp) throws IOException {
      return nd(d.createSocket(a, p, la, lp));
    }
  }
}
