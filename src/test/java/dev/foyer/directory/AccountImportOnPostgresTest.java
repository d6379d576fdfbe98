package dev.foyer.directory;

import org.springframework.test.context.ContextConfiguration;

import dev.foyer.support.TestFoyer;

@ContextConfiguration(initializers = TestFoyer.OnPostgres.class)
class AccountImportOnPostgresTest extends AccountImportScenarios {
}
