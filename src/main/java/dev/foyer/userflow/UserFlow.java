package dev.foyer.userflow;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A sign-up and sign-in user flow: the sign-in methods offered, whether people may sign up themselves, the
 * attributes collected at sign-up (built-in or custom, in order, required or not, with an optional label), and
 * the attributes people may edit on their account page (profile edit; the tenant's default flow decides), and
 * per-language text overrides keyed like Entra External ID's language files ({@code SignIn_Title},
 * {@code SignUp_Title}, {@code AttributeCollection_Title}, {@code Attribute_City}, ...).
 */
public record UserFlow(String id, String tenantId, String displayName, boolean isDefault, List<String> signInMethods,
		boolean selfServiceSignUp, List<CollectedAttribute> attributes, List<String> editableAttributes,
		Map<String, Map<String, String>> texts, Instant createdAt, Instant updatedAt) {

	public static final String EMAIL_PASSWORD = "emailPassword";

	public static final String EMAIL_OTP = "emailOtp";

	/** What every tenant has until it configures its own: email and password, open sign-up, names collected. */
	public static UserFlow builtInDefault(String tenantId) {
		return new UserFlow(null, tenantId, "Default sign-up and sign-in", true, List.of(EMAIL_PASSWORD), true,
				List.of(new CollectedAttribute("givenName", true, null), new CollectedAttribute("surname", true, null)),
				List.of("displayName", "givenName", "surname"), Map.of(), null, null);
	}

	/** One attribute collected at sign-up. */
	public record CollectedAttribute(String name, Boolean required, String label) {

		public boolean isRequired() {
			return Boolean.TRUE.equals(this.required);
		}

	}

	/** The tenant's text for a key in a language, if it overrides Foyer's. */
	public String text(String language, String key) {
		Map<String, String> forLanguage = this.texts.get(language);
		return forLanguage == null ? null : forLanguage.get(key);
	}

}
