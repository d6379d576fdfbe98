package dev.foyer.signin;

import org.springframework.test.context.ContextConfiguration;

import dev.foyer.support.TestFoyer;

@ContextConfiguration(initializers = TestFoyer.OnPostgres.class)
class ConcurrentGrantsOnPostgresTest extends ConcurrentGrantsScenarios {

}
