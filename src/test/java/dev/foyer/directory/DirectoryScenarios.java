package dev.foyer.directory;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import dev.foyer.support.Api;
import dev.foyer.support.FoyerIntegrationTest;
import tools.jackson.databind.JsonNode;

abstract class DirectoryScenarios extends FoyerIntegrationTest {

	private String tenant;

	private String users;

	@BeforeEach
	void tenant() {
		this.tenant = this.api.newTenant("dir");
		this.users = "/api/v1/tenants/" + this.tenant + "/users";
	}

	private JsonNode create(Map<String, Object> body) {
		Api.Response created = this.api.post(this.users, body);
		assertThat(created.status()).as(created.text()).isEqualTo(201);
		return created.json();
	}

	private int count() {
		return this.jdbc.sql("select count(*) from account where tenant_id = ?").param(this.tenant).query(Integer.class).single();
	}

	@Test
	void createsAccountWithBuiltInAttributesAndArgon2idHash() {
		Map<String, Object> body = new HashMap<>();
		body.put("email", "Grace.Hopper@Navy.Example");
		body.put("password", "a long passphrase");
		body.put("givenName", "Grace");
		body.put("surname", "Hopper");
		body.put("displayName", "Grace Hopper");
		body.put("streetAddress", "1 Main St");
		body.put("city", "Arlington");
		body.put("state", "VA");
		body.put("postalCode", "22201");
		body.put("country", "US");
		body.put("jobTitle", "Rear Admiral");
		body.put("companyName", "US Navy");
		JsonNode user = create(body);
		assertThat(user.get("email").asString()).isEqualTo("Grace.Hopper@navy.example");
		assertThat(user.get("accountEnabled").asBoolean()).isTrue();
		assertThat(user.get("emailVerified").asBoolean()).isFalse();
		assertThat(user.get("hasPassword").asBoolean()).isTrue();
		assertThat(user.has("passwordHash")).isFalse();
		assertThat(user.get("createdAt").asString()).isNotBlank();
		assertThat(user.get("lastSignInAt").isNull()).isTrue();
		for (String field : List.of("givenName", "surname", "displayName", "streetAddress", "city", "state", "postalCode",
				"country", "jobTitle", "companyName")) {
			assertThat(user.get(field).asString()).isEqualTo(body.get(field));
		}
		String hash = this.jdbc.sql("select password_hash from account where id = ?")
			.param(user.get("id").asString())
			.query(String.class)
			.single();
		assertThat(hash).startsWith("{argon2}$argon2id$v=19$m=19456,t=2,p=1$");
		assertThat(this.api.get(this.users + "/" + user.get("id").asString()).json().get("surname").asString())
			.isEqualTo("Hopper");
	}

	@Test
	void emailIsUniquePerTenantIgnoringCase() {
		create(Map.of("email", "dup@example.com"));
		Api.Response again = this.api.post(this.users, Map.of("email", "DUP@Example.COM"));
		assertThat(again.status()).isEqualTo(409);
		assertThat(count()).isEqualTo(1);
		// Another tenant may have the same address.
		String other = this.api.newTenant("dir2");
		assertThat(this.api.post("/api/v1/tenants/" + other + "/users", Map.of("email", "dup@example.com")).status())
			.isEqualTo(201);
	}

	@Test
	void refusesBadInputAndChangesNothing() {
		List<String> bodies = List.of("{not json", "[]", "{\"email\": 42}", "{\"email\":\"a@b.example\",\"unknown\":1}",
				"{\"email\":\"a@b.example\",\"accountEnabled\":\"yes\"}", "{\"email\":\"not-an-email\"}",
				"{\"email\":\"a@b.example\",\"password\":\"short\"}",
				"{\"email\":\"a@b.example\",\"password\":\"a@b.example\"}",
				"{\"email\":\"a@b.example\",\"givenName\":\"bell\\u0007\"}",
				"{\"email\":\"a@b.example\",\"surname\":\"" + "é".repeat(129) + "\"}",
				"{\"email\":\"a@b.example\",\"displayName\":\"line\\nbreak\"}",
				"{\"email\":\"a@b.example\",\"accountType\":\"root\"}",
				"{\"email\":\"a@b.example\",\"attributes\":{\"shoeSize\":44}}", "{\"password\":\"no email here\"}");
		for (String body : bodies) {
			Api.Response refused = this.api.post(this.users, body);
			assertThat(refused.status()).as(body).isEqualTo(400);
			assertThat(refused.header("Content-Type")).as(body).startsWith("application/problem+json");
			assertThat(refused.text()).as(body).doesNotContain("Exception").doesNotContain("at dev.foyer");
		}
		assertThat(count()).isZero();
		assertThat(this.api.get("/api/v1/tenants/" + this.tenant + "/auditLogs").json().get("items").valueStream()
			.filter(e -> e.get("action").asString().startsWith("user."))).isEmpty();
	}

	@Test
	void reportsEveryBadFieldAtOnce() {
		Api.Response refused = this.api.post(this.users,
				Map.of("email", "nope", "password", "x", "givenName", "tab\there"));
		assertThat(refused.json().get("errors").valueStream().map(e -> e.get("field").asString()))
			.containsExactlyInAnyOrder("email", "password", "givenName");
	}

	@ParameterizedTest
	@ValueSource(strings = { "O'Brien", "Robert'); DROP TABLE account;--", "\" OR 1=1 --", "%_\\", "名前 ☃ 𝄞",
			"<script>alert(1)</script>" })
	void storesAwkwardTextVerbatimAndSearchesItSafely(String text) {
		JsonNode user = create(Map.of("email", "awkward" + Math.abs(text.hashCode()) + "@example.com", "displayName", text));
		assertThat(this.api.get(this.users + "/" + user.get("id").asString()).json().get("displayName").asString())
			.isEqualTo(text);
		Api.Response found = this.api.get(this.users + "?search=" + java.net.URLEncoder.encode(text, java.nio.charset.StandardCharsets.UTF_8));
		assertThat(found.status()).isEqualTo(200);
		assertThat(found.json().get("items").valueStream().map(u -> u.get("id").asString())).containsExactly(user.get("id").asString());
		// LIKE wildcards in the search text are literal.
		assertThat(this.api.get(this.users + "?search=%25").json().get("items").size()).isEqualTo(text.startsWith("%") ? 1 : 0);
	}

	@Test
	void searchesByEmailPrefixOrDisplayNameWithKeysetPaging() {
		List<String> emails = new ArrayList<>();
		for (int i = 0; i < 25; i++) {
			String email = String.format("page%02d@example.com", i);
			emails.add(email);
			create(Map.of("email", email, "displayName", "Paged Person " + i));
		}
		create(Map.of("email", "zed@example.com", "displayName", "Pager Duty Expert"));
		create(Map.of("email", "other@example.com", "displayName", "Someone Else"));

		List<String> seen = new ArrayList<>();
		String cursor = null;
		int pages = 0;
		do {
			JsonNode page = this.api.get(this.users + "?search=PAGE&limit=10" + (cursor == null ? "" : "&cursor=" + cursor)).json();
			page.get("items").forEach(u -> seen.add(u.get("email").asString()));
			cursor = page.get("nextCursor").isNull() ? null : page.get("nextCursor").asString();
			pages++;
		}
		while (cursor != null && pages < 10);
		assertThat(pages).isEqualTo(3);
		List<String> expected = new ArrayList<>(emails);
		expected.add("zed@example.com");
		assertThat(seen).containsExactlyElementsOf(expected);

		assertThat(this.api.get(this.users + "?search=paged%20person%201").json().get("items").size()).isEqualTo(11);
		// email= matches the address alone: "pager duty expert" has no email starting with "pager".
		assertThat(this.api.get(this.users + "?email=page&limit=200").json().get("items").size()).isEqualTo(25);
		assertThat(this.api.get(this.users + "?email=zed").json().get("items").get(0).get("email").asString())
			.isEqualTo("zed@example.com");
		assertThat(this.api.get(this.users + "?email=x&search=y").status()).isEqualTo(400);
		assertThat(this.api.get(this.users + "?limit=201").status()).isEqualTo(400);
		assertThat(this.api.get(this.users + "?limit=0").status()).isEqualTo(400);
		assertThat(this.api.get(this.users + "?cursor=***").status()).isEqualTo(400);
		assertThat(this.api.get(this.users + "?limit=abc").status()).isEqualTo(400);
	}

	@Test
	void searchListsEachMatchOnceInTheOrderOfTheTextThatMatched() {
		String[][] people = { { "ann@x.example", "Zed Ann" }, // the email matches "an"
				{ "bob@x.example", "Anna Bob" }, // the display name does, and the email does not
				{ "anna.b@x.example", "Anna B" }, // both do: listed once, at the email
				{ "cy@x.example", "Ann" }, { "dee@x.example", "Ann" }, // the same display name: ordered by id
				{ "andy@x.example", "andy@x.example" }, // a display name that is the email
				{ "annabelle.smith@x.example", "Annabelle Smythe" }, // shares 9 characters with the email
				{ "annabelle.sm@x.example", "Annabelle.Sm" }, // shares 12
				{ "zoe@x.example", "Zoe" } };
		Map<String, String> ids = new HashMap<>();
		for (String[] person : people) {
			ids.put(person[0], create(Map.of("email", person[0], "displayName", person[1])).get("id").asString());
		}
		for (String text : List.of("an", "ANNA", "annabelle s", "annabelle.sm")) {
			String prefix = text.toLowerCase(java.util.Locale.ROOT);
			// The documented order, worked out here on its own: by the email where it starts with the text, else by the
			// display name; then by id.
			List<String> expected = java.util.Arrays.stream(people)
				.filter(p -> p[0].startsWith(prefix) || p[1].toLowerCase(java.util.Locale.ROOT).startsWith(prefix))
				.sorted(java.util.Comparator
					.comparing((String[] p) -> p[0].startsWith(prefix) ? p[0] : p[1].toLowerCase(java.util.Locale.ROOT))
					.thenComparing(p -> ids.get(p[0])))
				.map(p -> p[0])
				.toList();
			List<String> seen = new ArrayList<>();
			String cursor = null;
			do {
				JsonNode page = this.api.get(this.users + "?limit=2&search=" + java.net.URLEncoder.encode(text,
						java.nio.charset.StandardCharsets.UTF_8) + (cursor == null ? "" : "&cursor=" + cursor)).json();
				page.get("items").forEach(u -> seen.add(u.get("email").asString()));
				cursor = page.get("nextCursor").isNull() ? null : page.get("nextCursor").asString();
			}
			while (cursor != null && seen.size() < 20);
			assertThat(seen).as(text).containsExactlyElementsOf(expected);
		}
		// The cases above are there: ties, a match by both, and a text longer than the shared prefix the index keeps.
		assertThat(this.api.get(this.users + "?limit=200&search=an").json().get("items").size()).isEqualTo(8);
		assertThat(this.api.get(this.users + "?search=annabelle%20s").json().get("items").get(0).get("email").asString())
			.isEqualTo("annabelle.smith@x.example");
		assertThat(this.api.get(this.users + "?search=annabelle.sm").json().get("items").size()).isEqualTo(2);
	}

	@Test
	void updatesBlocksUnblocksAndDeletes() {
		JsonNode user = create(Map.of("email", "pat@example.com", "givenName", "Pat", "city", "Oslo", "emailVerified", true));
		String path = this.users + "/" + user.get("id").asString();

		JsonNode updated = this.api.patch(path, Map.of("surname", "Smith", "city", "")).json();
		assertThat(updated.get("givenName").asString()).isEqualTo("Pat");
		assertThat(updated.get("surname").asString()).isEqualTo("Smith");
		assertThat(updated.get("city").isNull()).isTrue();
		assertThat(updated.get("emailVerified").asBoolean()).isTrue();

		JsonNode blocked = this.api.patch(path, Map.of("accountEnabled", false)).json();
		assertThat(blocked.get("accountEnabled").asBoolean()).isFalse();
		assertThat(this.api.get(path).json().get("accountEnabled").asBoolean()).isFalse();
		assertThat(this.api.patch(path, Map.of("accountEnabled", true)).json().get("accountEnabled").asBoolean()).isTrue();

		// A new email address is no longer verified.
		assertThat(this.api.patch(path, Map.of("email", "pat.new@example.com")).json().get("emailVerified").asBoolean()).isFalse();

		List<String> actions = this.api.get("/api/v1/tenants/" + this.tenant + "/auditLogs?targetId=" + user.get("id").asString())
			.json().get("items").valueStream().map(e -> e.get("action").asString()).toList();
		assertThat(actions).containsExactly("user.update", "user.unblock", "user.block", "user.update", "user.create");
		assertThat(this.api.get("/api/v1/tenants/" + this.tenant + "/auditLogs?action=user.block").json().get("items").get(0)
			.get("before").get("accountEnabled").asBoolean()).isTrue();

		assertThat(this.api.patch(path, Map.of("accountType", "admin")).status()).isEqualTo(400);
		assertThat(this.api.delete(path).status()).isEqualTo(204);
		assertThat(this.api.get(path).status()).isEqualTo(404);
		assertThat(this.api.delete(path).status()).isEqualTo(404);
	}

	@Test
	void auditNeverHoldsPasswordsOrHashes() {
		create(Map.of("email", "secret@example.com", "password", "hunter2hunter2"));
		String audit = this.api.get("/api/v1/tenants/" + this.tenant + "/auditLogs").text();
		assertThat(audit).doesNotContain("hunter2hunter2").doesNotContain("argon2").doesNotContain("passwordHash");
	}

	@Test
	void groupsHoldMembersOfTheirOwnTenantOnly() {
		String alice = create(Map.of("email", "alice@example.com")).get("id").asString();
		String groups = "/api/v1/tenants/" + this.tenant + "/groups";
		Api.Response created = this.api.post(groups, Map.of("displayName", "Beta testers", "description", "Early access"));
		assertThat(created.status()).isEqualTo(201);
		String group = created.json().get("id").asString();

		assertThat(this.api.post(groups + "/" + group + "/members", Map.of("userId", alice)).status()).isEqualTo(204);
		assertThat(this.api.post(groups + "/" + group + "/members", Map.of("userId", alice)).status()).isEqualTo(409);
		assertThat(this.api.get(groups + "/" + group + "/members").json().get("items").get(0).get("id").asString()).isEqualTo(alice);
		assertThat(this.api.get(this.users + "/" + alice + "/groups").json().get("items").get(0).get("displayName").asString())
			.isEqualTo("Beta testers");

		String other = this.api.newTenant("dir3");
		String stranger = this.api.post("/api/v1/tenants/" + other + "/users", Map.of("email", "x@example.com")).json()
			.get("id").asString();
		assertThat(this.api.post(groups + "/" + group + "/members", Map.of("userId", stranger)).status()).isEqualTo(400);
		assertThat(this.api.get("/api/v1/tenants/" + other + "/groups/" + group).status()).isEqualTo(404);

		assertThat(this.api.patch(groups + "/" + group, Map.of("displayName", "Gamma")).json().get("displayName").asString())
			.isEqualTo("Gamma");
		assertThat(this.api.delete(groups + "/" + group + "/members/" + alice).status()).isEqualTo(204);
		assertThat(this.api.get(this.users + "/" + alice + "/groups").json().get("items")).isEmpty();
		assertThat(this.api.post(groups + "/" + group + "/members", Map.of("userId", alice)).status()).isEqualTo(204);
		// Deleting the account removes its memberships.
		assertThat(this.api.delete(this.users + "/" + alice).status()).isEqualTo(204);
		assertThat(this.api.get(groups + "/" + group + "/members").json().get("items")).isEmpty();
		assertThat(this.api.delete(groups + "/" + group).status()).isEqualTo(204);
		assertThat(this.api.get(groups + "/" + group).status()).isEqualTo(404);
	}

	@Test
	void anotherTenantsAccountAnswers404() {
		String id = create(Map.of("email", "mine@example.com")).get("id").asString();
		String other = this.api.newTenant("dir4");
		assertThat(this.api.get("/api/v1/tenants/" + other + "/users/" + id).status()).isEqualTo(404);
		assertThat(this.api.patch("/api/v1/tenants/" + other + "/users/" + id, Map.of("givenName", "X")).status()).isEqualTo(404);
		assertThat(this.api.delete("/api/v1/tenants/" + other + "/users/" + id).status()).isEqualTo(404);
		assertThat(this.api.get(this.users + "/" + id).json().get("givenName").isNull()).isTrue();
	}

}
