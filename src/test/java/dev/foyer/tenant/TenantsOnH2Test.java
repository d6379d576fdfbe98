package dev.foyer.tenant;

import org.springframework.test.context.ContextConfiguration;

import dev.foyer.support.TestFoyer;

@ContextConfiguration(initializers = TestFoyer.OnH2.class)
class TenantsOnH2Test extends TenantScenarios {
}
