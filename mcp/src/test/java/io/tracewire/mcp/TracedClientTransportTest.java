package io.tracewire.mcp;

import static org.assertj.core.api.Assertions.assertThat;

import io.modelcontextprotocol.spec.McpClientTransport;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class TracedClientTransportTest {
  @Test
  void theDecoratorOverridesEveryMethodOfTheTransportInterfaces() throws Exception {
    for (Method m : McpClientTransport.class.getMethods()) {
      if (Modifier.isStatic(m.getModifiers())) {
        continue;
      }
      Method own = TracedClientTransport.class.getMethod(m.getName(), m.getParameterTypes());
      assertThat(own.getDeclaringClass()).as(m.toString()).isEqualTo(TracedClientTransport.class);
    }
    assertThat(Arrays.stream(McpClientTransport.class.getMethods()).map(Method::getName))
        .contains("connect", "sendMessage", "closeGracefully", "close", "unmarshalFrom", "protocolVersions",
            "setExceptionHandler");
  }
}
