package dev.foyer.directory;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;

import dev.foyer.support.Api;
import dev.foyer.support.FoyerIntegrationTest;
import tools.jackson.databind.JsonNode;

/** Bulk import and export of accounts through the admin API, as JSON lines. */
abstract class AccountImportScenarios extends FoyerIntegrationTest {

	static final String BCRYPT = new BCryptPasswordEncoder(4).encode(ForeignPasswordHashesTest.PASSWORD);

	String tenant;

	@BeforeEach
	void tenant() {
		this.tenant = newTenantWithAttributes("imp");
	}

	private String newTenantWithAttributes(String prefix) {
		String id = this.api.newTenant(prefix);
		declare(id, Map.of("name", "loyaltyTier", "dataType", "string", "inputControl", "radioSingleSelect",
				"allowedValues", List.of("bronze", "silver", "gold")));
		declare(id, Map.of("name", "newsletter", "dataType", "boolean"));
		declare(id, Map.of("name", "memberSince", "dataType", "date"));
		declare(id, Map.of("name", "interests", "dataType", "string", "inputControl", "checkboxMultiSelect",
				"allowedValues", List.of("ski", "surf", "golf")));
		return id;
	}

	private void declare(String tenantId, Map<String, Object> body) {
		Api.Response created = this.api.post("/api/v1/tenants/" + tenantId + "/attributes", body);
		assertThat(created.status()).as(created.text()).isEqualTo(201);
	}

	static String line(Object... keysAndValues) {
		Map<String, Object> line = new LinkedHashMap<>();
		for (int i = 0; i < keysAndValues.length; i += 2) {
			line.put((String) keysAndValues[i], keysAndValues[i + 1]);
		}
		return Api.JSON.writeValueAsString(line);
	}

	private String importPath(String tenantId) {
		return "/api/v1/tenants/" + tenantId + "/users/import";
	}

	JsonNode importLines(String tenantId, String lines) {
		Api.Response answer = this.api.postLines(importPath(tenantId), lines);
		assertThat(answer.status()).as(answer.text()).isEqualTo(200);
		return answer.json();
	}

	int count(String tenantId) {
		return this.jdbc.sql("select count(*) from account where tenant_id = ?").param(tenantId).query(Integer.class).single();
	}

	private String storedHash(String tenantId, String email) {
		return this.jdbc.sql("select password_hash from account where tenant_id = ? and email_normalized = ?")
			.params(tenantId, email.toLowerCase())
			.query(String.class)
			.optional()
			.orElse(null);
	}

	private static Map<Long, String> reasons(JsonNode report) {
		Map<Long, String> reasons = new HashMap<>();
		report.get("rejections").forEach(r -> reasons.put(r.get("line").asLong(),
				r.get("errors").valueStream()
					.map(e -> (e.has("field") ? e.get("field").asString() + " " : "") + e.get("message").asString())
					.reduce((a, b) -> a + "; " + b)
					.orElseThrow()));
		return reasons;
	}

	@Test
	void importsGoodLinesAndReportsEveryBadOneWithItsReason() throws Exception {
		Map<String, Object> pbkdf2 = ForeignPasswordHashesTest.keycloakPbkdf2("pbkdf2-sha256", "PBKDF2WithHmacSHA256", 1000,
				256, ForeignPasswordHashesTest.PASSWORD);
		String lines = String.join("\n",
				line("email", "Ada@Example.com", "displayName", "Ada Lovelace", "givenName", "Ada", "surname", "Lovelace",
						"accountEnabled", true, "emailVerified", true, "passwordHash", BCRYPT, "attributes",
						Map.of("loyaltyTier", "gold", "newsletter", true, "memberSince", "2019-03-01", "interests",
								List.of("ski", "golf"))),
				line("email", "grace@example.com"),
				line("email", "not-an-address", "givenName", "Nobody"),
				line("email", "shoe@example.com", "attributes", Map.of("shoeSize", 44)),
				line("email", "md5@example.com", "passwordHash", "5f4dcc3b5aa765d61d8327deb882cf99"),
				line("email", "ADA@example.com", "displayName", "Ada again"),
				"{\"email\": \"broken@example.com\", ",
				"",
				line("email", "plain@example.com", "password", "a plain password"),
				"{\"email\": \"yes@example.com\", \"accountEnabled\": \"yes\"}",
				line("email", "kc@example.com", "accountEnabled", false, "passwordHash", pbkdf2),
				line("email", "tier@example.com", "attributes", Map.of("loyaltyTier", "platinum")),
				"[]") + "\n";
		JsonNode report = importLines(this.tenant, lines);
		assertThat(report.get("firstLine").asLong()).isEqualTo(1);
		assertThat(report.get("lastLine").asLong()).isEqualTo(13);
		assertThat(report.get("read").asLong()).isEqualTo(12);
		assertThat(report.get("imported").asLong()).isEqualTo(3);
		assertThat(report.get("skipped").asLong()).isZero();
		assertThat(report.get("rejected").asLong()).isEqualTo(9);
		assertThat(report.get("rejectionsNotListed").asLong()).isZero();
		Map<Long, String> reasons = reasons(report);
		assertThat(reasons).containsOnlyKeys(3L, 4L, 5L, 6L, 7L, 9L, 10L, 12L, 13L);
		assertThat(reasons.get(3L)).isEqualTo("email must be a valid email address");
		assertThat(reasons.get(4L)).isEqualTo("attributes.shoeSize is not a declared attribute of this tenant");
		assertThat(reasons.get(5L)).startsWith("passwordHash is not a hash format Foyer takes");
		assertThat(reasons.get(6L)).isEqualTo("email repeats the address of line 1");
		assertThat(reasons.get(7L)).isEqualTo("is not a JSON object");
		assertThat(reasons.get(9L)).isEqualTo("password is not a known field");
		assertThat(reasons.get(10L)).isEqualTo("accountEnabled has the wrong type or format");
		assertThat(reasons.get(12L)).startsWith("attributes.loyaltyTier must be one of");
		assertThat(reasons.get(13L)).isEqualTo("is not a JSON object");
		assertThat(report.get("rejections").get(0).get("email").asString()).isEqualTo("not-an-address");

		// Only the three good lines wrote anything, each completely.
		assertThat(count(this.tenant)).isEqualTo(3);
		JsonNode ada = this.api.get("/api/v1/tenants/" + this.tenant + "/users?email=ada@").json().get("items").get(0);
		assertThat(ada.get("email").asString()).isEqualTo("Ada@example.com");
		assertThat(ada.get("displayName").asString()).isEqualTo("Ada Lovelace");
		assertThat(ada.get("emailVerified").asBoolean()).isTrue();
		assertThat(ada.get("accountType").asString()).isEqualTo("customer");
		assertThat(ada.get("attributes").get("loyaltyTier").asString()).isEqualTo("gold");
		assertThat(ada.get("attributes").get("newsletter").asBoolean()).isTrue();
		assertThat(ada.get("attributes").get("memberSince").asString()).isEqualTo("2019-03-01");
		assertThat(ada.get("attributes").get("interests").valueStream().map(JsonNode::asString)).containsExactly("golf", "ski");
		assertThat(storedHash(this.tenant, "ada@example.com")).isEqualTo("{bcrypt}" + BCRYPT);
		assertThat(storedHash(this.tenant, "kc@example.com")).startsWith("{pbkdf2}$pbkdf2-sha256$i=1000$");
		assertThat(storedHash(this.tenant, "grace@example.com")).isNull();
		JsonNode kc = this.api.get("/api/v1/tenants/" + this.tenant + "/users?email=kc@").json().get("items").get(0);
		assertThat(kc.get("accountEnabled").asBoolean()).isFalse();
		assertThat(kc.get("hasPassword").asBoolean()).isTrue();
		assertThat(this.jdbc.sql("select count(*) from account_attribute where tenant_id = ?").param(this.tenant)
			.query(Integer.class).single()).isEqualTo(5);

		// Audited once, with the counts and not the rows.
		JsonNode events = this.api.get("/api/v1/tenants/" + this.tenant + "/auditLogs").json().get("items");
		List<String> actions = events.valueStream().map(e -> e.get("action").asString()).filter(a -> a.startsWith("user.")).toList();
		assertThat(actions).containsExactly("user.import");
		JsonNode counts = events.valueStream().filter(e -> e.get("action").asString().equals("user.import")).findFirst()
			.orElseThrow().get("after");
		assertThat(counts.get("imported").asLong()).isEqualTo(3);
		assertThat(counts.get("rejected").asLong()).isEqualTo(9);
		assertThat(counts.get("complete").asBoolean()).isTrue();
		assertThat(counts.toString()).doesNotContain("ada").doesNotContain("$2a$");
	}

	@Test
	void aRerunSkipsWhatIsThereAndStartLineNumbersAResumedBody() {
		List<String> lines = new ArrayList<>();
		for (int i = 1; i <= 6; i++) {
			lines.add(line("email", "person" + i + "@example.com", "passwordHash", BCRYPT));
		}
		lines.set(3, "{\"email\": 7}");
		// An interrupted first run committed the first two lines.
		assertThat(importLines(this.tenant, String.join("\n", lines.subList(0, 2))).get("imported").asLong()).isEqualTo(2);
		// A client resuming from its checkpoint sends the rest of the file (here with CRLF endings) and says where it
		// starts, so that the report speaks of the file's lines.
		JsonNode resumed = this.api.postLines(importPath(this.tenant) + "?startLine=3",
				String.join("\r\n", lines.subList(2, 6))).json();
		assertThat(resumed.get("firstLine").asLong()).isEqualTo(3);
		assertThat(resumed.get("lastLine").asLong()).isEqualTo(6);
		assertThat(resumed.get("imported").asLong()).isEqualTo(3);
		assertThat(reasons(resumed)).containsOnly(Map.entry(4L, "email has the wrong type or format"));
		// The same file again, whole: everything is there, and the bad line is still bad.
		JsonNode again = importLines(this.tenant, String.join("\n", lines));
		assertThat(again.get("read").asLong()).isEqualTo(6);
		assertThat(again.get("skipped").asLong()).isEqualTo(5);
		assertThat(again.get("imported").asLong()).isZero();
		assertThat(reasons(again)).containsOnlyKeys(4L);
		assertThat(count(this.tenant)).isEqualTo(5);
		// Without startLine the body's first line is line 1; an empty body reads nothing.
		assertThat(reasons(importLines(this.tenant, String.join("\n", lines.subList(2, 6))))).containsOnlyKeys(2L);
		JsonNode empty = this.api.postLines(importPath(this.tenant) + "?startLine=7", "").json();
		assertThat(empty.get("read").asLong()).isZero();
		assertThat(empty.get("lastLine").asLong()).isEqualTo(6);
		Api.Response badStart = this.api.postLines(importPath(this.tenant) + "?startLine=0", lines.get(0));
		assertThat(badStart.status()).isEqualTo(400);
		assertThat(badStart.header("Content-Type")).startsWith("application/problem+json");
		assertThat(badStart.json().get("errors").get(0).get("field").asString()).isEqualTo("startLine");
	}

	@Test
	void batchesOfAThousandAndRepeatsAcrossThem() {
		StringBuilder lines = new StringBuilder();
		for (int i = 1; i <= 2_500; i++) {
			String email = i == 1_500 ? "user10@example.com" : "user" + i + "@example.com";
			lines.append(line("email", email, "givenName", "User " + i, "attributes", Map.of("newsletter", i % 2 == 0)))
				.append('\n');
		}
		long started = System.nanoTime();
		JsonNode report = importLines(this.tenant, lines.toString());
		long millis = (System.nanoTime() - started) / 1_000_000;
		assertThat(report.get("imported").asLong()).as("%d ms", millis).isEqualTo(2_499);
		assertThat(reasons(report)).containsOnly(Map.entry(1500L, "email repeats the address of line 10"));
		assertThat(count(this.tenant)).isEqualTo(2_499);
		assertThat(this.jdbc.sql("select count(*) from account_attribute where tenant_id = ?").param(this.tenant)
			.query(Integer.class).single()).isEqualTo(2_499);
		// Old and new addresses mixed in every batch: only the new ones are written, with their values.
		StringBuilder mixed = new StringBuilder();
		for (int i = 1; i <= 3_000; i++) {
			String email = i % 6 == 0 ? "new" + i + "@example.com" : "user" + i + "@example.com";
			mixed.append(line("email", email, "attributes", Map.of("newsletter", true))).append('\n');
		}
		JsonNode again = importLines(this.tenant, mixed.toString());
		// Every sixth line is a new address (500); so are user2501 to user3000 that are not (416). The other 2,084 exist.
		assertThat(again.get("imported").asLong()).isEqualTo(916);
		assertThat(again.get("skipped").asLong()).isEqualTo(2_084);
		assertThat(again.get("rejected").asLong()).isZero();
		assertThat(count(this.tenant)).isEqualTo(2_499 + 916);
		assertThat(this.jdbc.sql("select count(*) from account_attribute where tenant_id = ?").param(this.tenant)
			.query(Integer.class).single()).isEqualTo(2_499 + 916);
	}

	@Test
	void aLineLongerThanTheLimitIsRefusedAndTheNextOneRead() {
		String huge = line("email", "huge@example.com", "displayName", "x".repeat(AccountImport.MAX_LINE_BYTES));
		JsonNode report = importLines(this.tenant, huge + "\n" + line("email", "after@example.com"));
		assertThat(reasons(report)).containsOnly(Map.entry(1L, "is longer than 65536 bytes"));
		assertThat(report.get("imported").asLong()).isEqualTo(1);
		// Larger than the admin API's 1 MiB limit for other bodies: the import streams.
		StringBuilder big = new StringBuilder();
		for (int i = 0; big.length() < 1_200_000; i++) {
			big.append(line("email", "big" + i + "@example.com", "displayName", "y".repeat(200))).append('\n');
		}
		assertThat(importLines(this.tenant, big.toString()).get("rejected").asLong()).isZero();
	}

	@Test
	void importingIntoOneTenantNeverTouchesAnother() {
		String other = newTenantWithAttributes("imp-other");
		Api.Response theirs = this.api.post("/api/v1/tenants/" + other + "/users",
				Map.of("email", "shared@example.com", "givenName", "Theirs"));
		assertThat(theirs.status()).isEqualTo(201);
		JsonNode report = importLines(this.tenant, line("email", "shared@example.com", "givenName", "Ours",
				"passwordHash", BCRYPT) + "\n" + line("email", "only-ours@example.com"));
		assertThat(report.get("imported").asLong()).isEqualTo(2);
		assertThat(count(other)).isEqualTo(1);
		assertThat(storedHash(other, "shared@example.com")).isNull();
		JsonNode kept = this.api.get("/api/v1/tenants/" + other + "/users/" + theirs.json().get("id").asString()).json();
		assertThat(kept.get("givenName").asString()).isEqualTo("Theirs");
		String exported = this.api.get("/api/v1/tenants/" + this.tenant + "/users/export").text();
		assertThat(exported.lines()).hasSize(2).noneMatch(l -> l.contains("Theirs"));
		assertThat(this.api.get("/api/v1/tenants/" + other + "/users/export").text().lines()).hasSize(1)
			.allMatch(l -> l.contains("Theirs"));
	}

	@Test
	void anExportImportsIntoAnotherTenantUnchanged() throws Exception {
		Map<String, Object> pbkdf2 = ForeignPasswordHashesTest.keycloakPbkdf2("pbkdf2-sha512", "PBKDF2WithHmacSHA512", 1000,
				512, ForeignPasswordHashesTest.PASSWORD);
		String lines = String.join("\n",
				line("email", "b@example.com", "givenName", "B", "surname", "Bee", "city", "Lyon", "passwordHash", BCRYPT,
						"attributes", Map.of("interests", List.of("surf"), "memberSince", "2020-02-29")),
				line("email", "a@example.com", "accountType", "admin", "emailVerified", true, "passwordHash", pbkdf2),
				line("email", "c@example.com", "accountEnabled", false, "passwordHash",
						ForeignPasswordHashesTest.argon2Phc(256, 1, 1, ForeignPasswordHashesTest.PASSWORD)));
		assertThat(importLines(this.tenant, lines).get("imported").asLong()).isEqualTo(3);
		this.api.post("/api/v1/tenants/" + this.tenant + "/users",
				Map.of("email", "d@example.com", "password", "a password made in Foyer"));
		Api.Response export = this.api.get("/api/v1/tenants/" + this.tenant + "/users/export");
		assertThat(export.status()).isEqualTo(200);
		assertThat(export.header("Content-Type")).startsWith("application/x-ndjson");
		List<String> exported = export.text().lines().toList();
		assertThat(exported).hasSize(4);
		assertThat(exported.get(0)).startsWith("{\"email\":\"a@example.com\",\"accountType\":\"admin\"")
			.contains("\"passwordHash\":\"{pbkdf2}$pbkdf2-sha512$i=1000$");
		assertThat(exported.get(1)).contains("\"passwordHash\":\"{bcrypt}" + BCRYPT + "\"")
			.contains("\"attributes\":{\"interests\":[\"surf\"],\"memberSince\":\"2020-02-29\"}");
		assertThat(exported.get(3)).contains("\"passwordHash\":\"{argon2}$argon2id$v=19$m=19456,t=2,p=1$");

		String copy = newTenantWithAttributes("imp-copy");
		JsonNode report = importLines(copy, export.text());
		assertThat(report.get("imported").asLong()).isEqualTo(4);
		assertThat(this.api.get("/api/v1/tenants/" + copy + "/users/export").text()).isEqualTo(export.text());
		for (String email : List.of("a@example.com", "b@example.com", "c@example.com", "d@example.com")) {
			assertThat(storedHash(copy, email)).isEqualTo(storedHash(this.tenant, email)).isNotNull();
		}
		// Audited as an export, with its count.
		JsonNode exportEvent = this.api.get("/api/v1/tenants/" + this.tenant + "/auditLogs?action=user.export").json()
			.get("items").get(0);
		assertThat(exportEvent.get("after").get("accounts").asLong()).isEqualTo(4);
		assertThat(exportEvent.get("after").get("complete").asBoolean()).isTrue();
	}

	@Test
	void needsTheRightsOfTheOtherUserEndpoints() {
		String users = "/api/v1/tenants/" + this.tenant + "/users";
		String userAdmin = tokenWithRoles(this.tenant, "USER_ADMINISTRATOR");
		String appAdmin = tokenWithRoles(this.tenant, "APPLICATION_ADMINISTRATOR");
		String outsider = tokenWithRoles(newTenantWithAttributes("imp-out"), "TENANT_ADMINISTRATOR");
		String lines = line("email", "someone@example.com", "passwordHash", BCRYPT);
		assertThat(this.api.postLines(users + "/import", lines, null).status()).isEqualTo(401);
		assertThat(this.api.get(users + "/export", null).status()).isEqualTo(401);
		for (Api.Response refused : List.of(this.api.postLines(users + "/import", lines, appAdmin),
				this.api.get(users + "/export", appAdmin))) {
			assertThat(refused.status()).isEqualTo(403);
			assertThat(refused.header("Content-Type")).startsWith("application/problem+json");
		}
		assertThat(this.api.postLines(users + "/import", lines, outsider).status()).isEqualTo(404);
		assertThat(this.api.get(users + "/export", outsider).status()).isEqualTo(404);
		assertThat(count(this.tenant)).isZero();
		Api.Response json = this.api.post(users + "/import", Map.of("email", "json@example.com"));
		assertThat(json.status()).isEqualTo(415);
		assertThat(json.header("Content-Type")).startsWith("application/problem+json");

		assertThat(this.api.postLines(users + "/import", lines, userAdmin).json().get("imported").asLong()).isEqualTo(1);
		// An admin account holding Tenant administrator: a User administrator's export leaves its hash out.
		String adminId = this.api.post(users, Map.of("email", "boss@example.com", "accountType", "admin", "password",
				"the boss's own passphrase")).json().get("id").asString();
		assertThat(this.api.post("/api/v1/tenants/" + this.tenant + "/roleAssignments",
				Map.of("principalId", adminId, "role", "TENANT_ADMINISTRATOR")).status()).isEqualTo(201);
		List<String> byUserAdmin = this.api.get(users + "/export", userAdmin).text().lines().toList();
		assertThat(byUserAdmin).hasSize(2);
		assertThat(byUserAdmin.get(0)).startsWith("{\"email\":\"boss@example.com\"").doesNotContain("passwordHash");
		assertThat(byUserAdmin.get(1)).contains("passwordHash");
		assertThat(this.api.get(users + "/export").text().lines().toList().get(0)).contains("\"passwordHash\":\"{argon2}");
		JsonNode event = this.api.get("/api/v1/tenants/" + this.tenant + "/auditLogs?action=user.export").json()
			.get("items");
		assertThat(event.valueStream().map(e -> e.get("after").get("passwordHashesWithheld").asLong())).contains(1L, 0L);
	}

	@Test
	void theOpenApiDocumentDescribesImportAndExport() {
		JsonNode paths = this.api.get("/api/v1/openapi.json", null).json().get("paths");
		JsonNode imports = paths.get("/api/v1/tenants/{tenantId}/users/import").get("post");
		assertThat(imports.get("requestBody").get("content").propertyNames()).containsExactly("application/x-ndjson");
		assertThat(imports.get("parameters").valueStream().map(p -> p.get("name").asString())).contains("startLine");
		assertThat(paths.get("/api/v1/tenants/{tenantId}/users/export").propertyNames()).containsExactly("get");
	}

	private String tokenWithRoles(String tenantId, String role) {
		JsonNode app = this.api.post("/api/v1/tenants/" + tenantId + "/applications",
				Map.of("displayName", "Automation", "type", "service")).json();
		Api.Response assigned = this.api.post("/api/v1/tenants/" + tenantId + "/roleAssignments",
				Map.of("principalId", app.get("id").asString(), "role", role));
		assertThat(assigned.status()).as(assigned.text()).isEqualTo(201);
		return this.api.clientCredentials(tenantId, app.get("clientId").asString(), app.get("clientSecret").asString())
			.json()
			.get("access_token")
			.asString();
	}

}
