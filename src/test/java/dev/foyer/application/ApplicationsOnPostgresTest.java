package dev.foyer.application;

import org.springframework.test.context.ContextConfiguration;

import dev.foyer.support.TestFoyer;

@ContextConfiguration(initializers = TestFoyer.OnPostgres.class)
class ApplicationsOnPostgresTest extends ApplicationScenarios {
}
