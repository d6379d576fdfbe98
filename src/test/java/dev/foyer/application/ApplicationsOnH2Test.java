package dev.foyer.application;

import org.springframework.test.context.ContextConfiguration;

import dev.foyer.support.TestFoyer;

@ContextConfiguration(initializers = TestFoyer.OnH2.class)
class ApplicationsOnH2Test extends ApplicationScenarios {
}
