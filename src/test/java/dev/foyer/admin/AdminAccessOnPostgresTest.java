package dev.foyer.admin;

import org.springframework.test.context.ContextConfiguration;

import dev.foyer.support.TestFoyer;

@ContextConfiguration(initializers = TestFoyer.OnPostgres.class)
class AdminAccessOnPostgresTest extends AdminAccessScenarios {
}
