package dev.foyer.signin;

import org.springframework.test.context.ContextConfiguration;

import dev.foyer.support.TestFoyer;

@ContextConfiguration(initializers = TestFoyer.OnH2.class)
class ConcurrentGrantsOnH2Test extends ConcurrentGrantsScenarios {

}
