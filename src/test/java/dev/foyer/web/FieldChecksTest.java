package dev.foyer.web;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class FieldChecksTest {

	@ParameterizedTest
	@ValueSource(strings = { "a@b.co", "first.last+tag@example.com", "o'hara@example.ie", "用户@例子.广告", "x@sub.domain.example" })
	void acceptsEmails(String email) {
		FieldChecks checks = new FieldChecks();
		assertThat(checks.email("email", email, true)).isNotNull();
		assertThat(checks.hasProblems()).isFalse();
	}

	@ParameterizedTest
	@ValueSource(strings = { "plain", "@example.com", "a@", "a@b", "a b@example.com", "a@@example.com", "a@-example.com",
			"a@example..com", "\"quoted\"@example.com", "a@exa_mple.com",
			// Format characters (zero-width, bidirectional controls, soft hyphen), which make one address look like another.
			"a\u200Bb@example.com", "a\u200Db@example.com", "ab\u202E@example.com", "a\u2066b@example.com",
			"a\uFEFFb@example.com", "a\u00ADb@example.com" })
	void refusesEmails(String email) {
		FieldChecks checks = new FieldChecks();
		assertThat(checks.email("email", email, true)).isNull();
		assertThat(checks.hasProblems()).isTrue();
	}

	@Test
	void normalisesTextAndCountsCodePoints() {
		FieldChecks checks = new FieldChecks();
		// "é" as e + combining accent becomes one character in NFC
		assertThat(checks.text("name", "  Rene\u0301  ", 10, true)).isEqualTo("René");
		assertThat(checks.text("name", "𝄞".repeat(5), 5, true)).isEqualTo("𝄞".repeat(5));
		assertThat(checks.hasProblems()).isFalse();
		assertThat(checks.text("name", "𝄞".repeat(6), 5, true)).isNull();
		assertThat(checks.text("name", "nul\u0000", 10, true)).isNull();
		assertThat(checks.text("name", "lone \uD800 surrogate", 30, true)).isNull();
		// Bidirectional overrides, embeddings and isolates reorder how a name shows.
		for (String reordering : new String[] { "Bob\u202Egnp.exe", "a\u202Ab", "a\u202Db", "a\u2066b", "a\u2069b" }) {
			assertThat(checks.text("name", reordering, 30, true)).as(reordering).isNull();
		}
		assertThat(checks.text("name", "  ", 10, true)).isNull();
		assertThat(checks.hasProblems()).isTrue();
	}

	@Test
	void keepsTheJoinersAndMarksThatNamesNeed() {
		FieldChecks checks = new FieldChecks();
		// Persian needs the zero-width non-joiner; Indic scripts the joiner; mixed-direction text the marks.
		for (String name : new String[] { "\u0645\u06CC\u200C\u062E\u0648\u0627\u0647\u0645", "\u0915\u094D\u200D\u0937",
				"\u05D3\u05E0\u05D4\u200F 2" }) {
			assertThat(checks.text("name", name, 30, true)).as(name).isEqualTo(name);
		}
		assertThat(checks.hasProblems()).isFalse();
	}

	@Test
	void emailUniquenessIgnoresCase() {
		assertThat(FieldChecks.normaliseEmail(" Ada@Example.COM ")).isEqualTo("ada@example.com");
	}

}
