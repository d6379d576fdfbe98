package dev.foyer.admin;

import org.springframework.test.context.ContextConfiguration;

import dev.foyer.support.TestFoyer;

@ContextConfiguration(initializers = TestFoyer.OnH2.class)
class AdminAccessOnH2Test extends AdminAccessScenarios {
}
