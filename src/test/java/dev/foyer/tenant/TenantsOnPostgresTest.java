package dev.foyer.tenant;

import org.springframework.test.context.ContextConfiguration;

import dev.foyer.support.TestFoyer;

@ContextConfiguration(initializers = TestFoyer.OnPostgres.class)
class TenantsOnPostgresTest extends TenantScenarios {
}
