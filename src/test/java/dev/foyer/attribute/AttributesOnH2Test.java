package dev.foyer.attribute;

import org.springframework.test.context.ContextConfiguration;

import dev.foyer.support.TestFoyer;

@ContextConfiguration(initializers = TestFoyer.OnH2.class)
class AttributesOnH2Test extends AttributeScenarios {
}
