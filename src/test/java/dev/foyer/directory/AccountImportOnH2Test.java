package dev.foyer.directory;

import org.springframework.test.context.ContextConfiguration;

import dev.foyer.support.TestFoyer;

@ContextConfiguration(initializers = TestFoyer.OnH2.class)
class AccountImportOnH2Test extends AccountImportScenarios {
}
