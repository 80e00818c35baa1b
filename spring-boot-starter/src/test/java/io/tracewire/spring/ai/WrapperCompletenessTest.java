package io.tracewire.spring.ai;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import org.junit.jupiter.api.Test;
import org.springframework.ai.model.tool.ToolCallingManager;
import org.springframework.ai.tool.ToolCallback;

/**
 * The hand-written wrappers override every instance method of the interface they wrap, so a
 * method Spring AI adds later (a default method, say) fails here instead of bypassing the wrapper.
 */
class WrapperCompletenessTest {
  private static void overridesAll(Class<?> api, Class<?> wrapper) throws NoSuchMethodException {
    for (Method m : api.getMethods()) {
      if (Modifier.isStatic(m.getModifiers())) {
        continue;
      }
      Method impl = wrapper.getMethod(m.getName(), m.getParameterTypes());
      assertThat(impl.getDeclaringClass()).as(api.getSimpleName() + "." + m.getName()).isEqualTo(wrapper);
    }
  }

  @Test
  void theToolCallingManagerWrapperOverridesEveryMethod() throws NoSuchMethodException {
    overridesAll(ToolCallingManager.class, TracedToolCallingManager.class);
  }

  @Test
  void theToolCallbackWrapperOverridesEveryMethod() throws NoSuchMethodException {
    overridesAll(ToolCallback.class, TracedToolCallingManager.TracedToolCallback.class);
  }
}
