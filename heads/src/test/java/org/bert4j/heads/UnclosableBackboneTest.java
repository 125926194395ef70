package org.bert4j.heads;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The tests' wrapper around the shared backbone must behave as the backbone does: a default method it fails to
 * forward (featureKey) silently gives tests the interface's do-nothing answer instead.
 */
class UnclosableBackboneTest {

    @Test
    void forwardsEveryMethodButClose() throws Exception {
        Class<?> wrapper = RealBackbone.unclosable().getClass();
        List<String> inherited = new ArrayList<>();
        for (Method method : Backbone.class.getMethods()) {
            Method actual = wrapper.getMethod(method.getName(), method.getParameterTypes());
            if (actual.getDeclaringClass() == Backbone.class && !method.getName().equals("close")) {
                inherited.add(method.getName());
            }
        }
        assertEquals(List.of(), inherited, "Backbone methods the wrapper leaves to the interface's default");
    }
}
