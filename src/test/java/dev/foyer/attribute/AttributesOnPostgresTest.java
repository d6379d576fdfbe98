package dev.foyer.attribute;

import org.springframework.test.context.ContextConfiguration;

import dev.foyer.support.TestFoyer;

@ContextConfiguration(initializers = TestFoyer.OnPostgres.class)
class AttributesOnPostgresTest extends AttributeScenarios {
}
