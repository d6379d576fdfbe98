package dev.foyer.attribute;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.ContextConfiguration;

import dev.foyer.support.Api;
import dev.foyer.support.FoyerIntegrationTest;
import dev.foyer.support.StatementLog;
import dev.foyer.support.TestFoyer;

import tools.jackson.databind.JsonNode;

/**
 * A tenant's attribute declarations are read from memory, and every change to them shows at once: one declared,
 * changed or removed, and all of them gone with a deleted tenant. (Other nodes within a second: ManyNodesTest.)
 */
@ContextConfiguration(initializers = TestFoyer.OnOwnH2.class)
@Import(StatementLog.class)
class DeclarationsFromMemoryTest extends FoyerIntegrationTest {

	@Autowired
	private StatementLog statements;

	@Test
	void readFromMemoryAndChangedAtOnce() {
		String tenant = this.api.newTenant("decl");
		String attributes = "/api/v1/tenants/" + tenant + "/attributes";
		String users = "/api/v1/tenants/" + tenant + "/users";
		assertThat(this.api.post(attributes, Map.of("name", "tier", "dataType", "string", "inputControl",
				"radioSingleSelect", "allowedValues", List.of("bronze", "silver"))).status()).isEqualTo(201);
		Api.Response created = this.api.post(users, Map.of("email", "decl@example.com", "attributes",
				Map.of("tier", "silver")));
		assertThat(created.status()).as(created.text()).isEqualTo(201);
		String user = users + "/" + created.json().get("id").asString();

		// Warm: searches read the accounts and their values, not the declarations.
		this.api.get(users + "?search=decl");
		this.statements.clear();
		for (int i = 0; i < 5; i++) {
			JsonNode found = this.api.get(users + "?search=decl").json().get("items");
			assertThat(found).hasSize(1);
			assertThat(found.get(0).get("attributes").get("tier").asString()).isEqualTo("silver");
		}
		assertThat(this.statements.statements()).isNotEmpty().noneMatch(sql -> sql.contains("custom_attribute"));

		// Changed: a value allowed a moment ago is refused, a new one accepted.
		assertThat(this.api.patch(attributes + "/tier", Map.of("allowedValues", List.of("silver", "gold"))).status())
			.isEqualTo(200);
		assertThat(this.api.patch(user, Map.of("attributes", Map.of("tier", "bronze"))).status()).isEqualTo(400);
		assertThat(this.api.patch(user, Map.of("attributes", Map.of("tier", "gold"))).status()).isEqualTo(200);

		// Another declared: usable at once.
		assertThat(this.api.post(attributes, Map.of("name", "newsletter", "dataType", "boolean")).status()).isEqualTo(201);
		assertThat(this.api.patch(user, Map.of("attributes", Map.of("newsletter", true))).json().get("attributes")
			.get("newsletter").asBoolean()).isTrue();

		// Removed: unknown at once, and its values no longer shown.
		assertThat(this.api.delete(attributes + "/tier").status()).isEqualTo(204);
		assertThat(this.api.get(users + "?search=decl").json().get("items").get(0).get("attributes").has("tier")).isFalse();
		assertThat(this.api.patch(user, Map.of("attributes", Map.of("tier", "gold"))).status()).isEqualTo(400);

		// A deleted tenant's declarations go with it: the same id created again has none.
		assertThat(this.api.delete("/api/v1/tenants/" + tenant + "?confirm=" + tenant).status()).isEqualTo(204);
		assertThat(this.api.post("/api/v1/tenants", Map.of("id", tenant, "displayName", "Again")).status()).isEqualTo(201);
		assertThat(this.api.get(attributes).json().get("items")).isEmpty();
		assertThat(this.api.post(users, Map.of("email", "again@example.com", "attributes", Map.of("newsletter", true)))
			.status()).isEqualTo(400);
	}

}
