package dev.foyer.attribute;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.foyer.support.Api;
import dev.foyer.support.FoyerIntegrationTest;
import tools.jackson.databind.JsonNode;

abstract class AttributeScenarios extends FoyerIntegrationTest {

	private String tenant;

	private String attributes;

	private String users;

	@BeforeEach
	void declare() {
		this.tenant = this.api.newTenant("attrs");
		this.attributes = "/api/v1/tenants/" + this.tenant + "/attributes";
		this.users = "/api/v1/tenants/" + this.tenant + "/users";
		declare(Map.of("name", "loyaltyTier", "dataType", "string", "inputControl", "radioSingleSelect", "allowedValues",
				List.of("bronze", "silver", "gold")));
		declare(Map.of("name", "newsletter", "dataType", "boolean", "label", "I accept the [terms](https://example.com/terms)"));
		declare(Map.of("name", "shoeSize", "dataType", "integer"));
		declare(Map.of("name", "birthday", "dataType", "date"));
		declare(Map.of("name", "interests", "dataType", "string", "inputControl", "checkboxMultiSelect", "allowedValues",
				List.of("ski", "surf", "golf")));
		declare(Map.of("name", "memberNumber", "dataType", "string", "maxLength", 8, "pattern", "[A-Z]{2}[0-9]{1,6}"));
	}

	private JsonNode declare(Map<String, Object> body) {
		Api.Response created = this.api.post(this.attributes, body);
		assertThat(created.status()).as(created.text()).isEqualTo(201);
		return created.json();
	}

	@Test
	void declarationsAreValidated() {
		List<Map<String, Object>> bad = List.of(Map.of("name", "1bad", "dataType", "string"),
				Map.of("name", "email", "dataType", "string"), Map.of("name", "x", "dataType", "float"),
				Map.of("name", "x", "dataType", "boolean", "inputControl", "numberBox"),
				Map.of("name", "x", "dataType", "string", "inputControl", "radioSingleSelect"),
				Map.of("name", "x", "dataType", "string", "pattern", "([unclosed"),
				Map.of("name", "x", "dataType", "integer", "maxLength", 5),
				Map.of("name", "x", "dataType", "string", "maxLength", 251),
				Map.of("name", "x", "dataType", "string", "label", "bell\u0007"));
		for (Map<String, Object> body : bad) {
			Api.Response refused = this.api.post(this.attributes, body);
			assertThat(refused.status()).as(body.toString()).isEqualTo(400);
		}
		assertThat(this.api.post(this.attributes, Map.of("name", "shoeSize", "dataType", "integer")).status()).isEqualTo(409);
		assertThat(this.api.get(this.attributes).json().get("items")).hasSize(6);
		JsonNode newsletter = this.api.get(this.attributes + "/newsletter").json();
		assertThat(newsletter.get("dataType").asString()).isEqualTo("boolean");
		assertThat(newsletter.get("inputControl").asString()).isEqualTo("checkboxSingleSelect");
	}

	@Test
	void valuesAreTypedValidatedStoredAndSearchable() {
		Map<String, Object> values = new HashMap<>();
		values.put("loyaltyTier", "gold");
		values.put("newsletter", true);
		values.put("shoeSize", 44);
		values.put("birthday", "1990-02-28");
		values.put("interests", List.of("surf", "ski"));
		values.put("memberNumber", "AB1234");
		Api.Response created = this.api.post(this.users, Map.of("email", "typed@example.com", "attributes", values));
		assertThat(created.status()).as(created.text()).isEqualTo(201);
		JsonNode stored = this.api.get(this.users + "/" + created.json().get("id").asString()).json().get("attributes");
		assertThat(stored.get("loyaltyTier").asString()).isEqualTo("gold");
		assertThat(stored.get("newsletter").asBoolean()).isTrue();
		assertThat(stored.get("shoeSize").asLong()).isEqualTo(44);
		assertThat(stored.get("birthday").asString()).isEqualTo("1990-02-28");
		assertThat(stored.get("interests").valueStream().map(JsonNode::asString)).containsExactly("ski", "surf");
		assertThat(created.json().get("email").asString()).isEqualTo("typed@example.com");

		this.api.post(this.users, Map.of("email", "silver@example.com", "attributes", Map.of("loyaltyTier", "silver")));
		assertThat(this.api.get(this.users + "?attribute=loyaltyTier&value=gold").json().get("items").valueStream()
			.map(u -> u.get("email").asString())).containsExactly("typed@example.com");
		assertThat(this.api.get(this.users + "?attribute=interests&value=surf").json().get("items")).hasSize(1);
		assertThat(this.api.get(this.users + "?attribute=shoeSize&value=44").json().get("items")).hasSize(1);
		assertThat(this.api.get(this.users + "?attribute=unknown&value=1").status()).isEqualTo(400);
		assertThat(this.api.get(this.users + "?attribute=loyaltyTier").status()).isEqualTo(400);

		String path = this.users + "/" + created.json().get("id").asString();
		Map<String, Object> change = new HashMap<>();
		change.put("loyaltyTier", "silver");
		change.put("memberNumber", null);
		JsonNode patched = this.api.patch(path, Map.of("attributes", change)).json().get("attributes");
		assertThat(patched.get("loyaltyTier").asString()).isEqualTo("silver");
		assertThat(patched.has("memberNumber")).isFalse();
		assertThat(patched.get("shoeSize").asLong()).isEqualTo(44);

		// Deleting the declaration removes every value of it.
		assertThat(this.api.delete(this.attributes + "/loyaltyTier").status()).isEqualTo(204);
		assertThat(this.api.get(path).json().get("attributes").has("loyaltyTier")).isFalse();
	}

	@Test
	void badValuesAreRefusedAndNothingIsStored() {
		List<Map<String, Object>> bad = List.of(Map.of("loyaltyTier", "platinum"), Map.of("loyaltyTier", 3),
				Map.of("newsletter", "yes"), Map.of("shoeSize", "forty"), Map.of("shoeSize", 4.5),
				Map.of("birthday", "28/02/1990"), Map.of("interests", List.of("chess")), Map.of("interests", "ski"),
				Map.of("memberNumber", "AB123456789"), Map.of("memberNumber", "ab12"),
				Map.of("loyaltyTier", "<script>alert(1)</script>"), Map.of("memberNumber", "AB1'; DROP TABLE account;--"),
				Map.of("notDeclared", "x"));
		for (Map<String, Object> attributes : bad) {
			Api.Response refused = this.api.post(this.users, Map.of("email", "bad@example.com", "attributes", attributes));
			assertThat(refused.status()).as(attributes.toString()).isEqualTo(400);
			assertThat(refused.json().get("errors").get(0).get("field").asString()).startsWith("attributes.");
		}
		assertThat(this.api.get(this.users).json().get("items")).isEmpty();
		assertThat(this.jdbc.sql("select count(*) from account_attribute where tenant_id = ?").param(this.tenant)
			.query(Integer.class).single()).isZero();
	}

	@Test
	void anotherTenantsAttributesAreUnknownHere() {
		String other = this.api.newTenant("attrs2");
		Api.Response refused = this.api.post("/api/v1/tenants/" + other + "/users",
				Map.of("email", "x@example.com", "attributes", Map.of("shoeSize", 40)));
		assertThat(refused.status()).isEqualTo(400);
		assertThat(this.api.get("/api/v1/tenants/" + other + "/attributes/shoeSize").status()).isEqualTo(404);
	}

}
