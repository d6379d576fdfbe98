package dev.foyer.userflow;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A user flow of one of three kinds, each with per-language text overrides keyed like Entra External ID's language
 * files ({@code SignIn_Title}, {@code SignUp_Title}, {@code AttributeCollection_Title}, {@code Attribute_City},
 * {@code PasswordReset_Title}, ...), by language ({@code fr}) or language and region ({@code fr-CA}):
 * <ul>
 * <li>{@code signUpOrSignIn}: the sign-in methods offered, whether people may sign up themselves, and the attributes
 * collected at sign-up (built-in or custom, in order, required or not, with an optional label). Apps link to one;
 * the others use the tenant's default one.</li>
 * <li>{@code passwordReset}: whether self-service password reset is offered ({@code enabled}).</li>
 * <li>{@code profileEdit}: the attributes people may edit on their account page ({@code editableAttributes}).</li>
 * </ul>
 * The tenant's default flow of each kind applies; without one, Foyer's built-in default of that kind does.
 */
public record UserFlow(String id, String tenantId, String kind, String displayName, boolean isDefault,
		List<String> signInMethods, boolean selfServiceSignUp, List<CollectedAttribute> attributes,
		List<String> editableAttributes, boolean enabled, Map<String, Map<String, String>> texts, Instant createdAt,
		Instant updatedAt) {

	public static final String SIGN_UP_OR_SIGN_IN = "signUpOrSignIn";

	public static final String PASSWORD_RESET = "passwordReset";

	public static final String PROFILE_EDIT = "profileEdit";

	public static final List<String> KINDS = List.of(SIGN_UP_OR_SIGN_IN, PASSWORD_RESET, PROFILE_EDIT);

	public static final String EMAIL_PASSWORD = "emailPassword";

	public static final String EMAIL_OTP = "emailOtp";

	static final List<String> DEFAULT_EDITABLE = List.of("displayName", "givenName", "surname");

	/** What every tenant has until it configures its own: email and password, open sign-up, names collected. */
	public static UserFlow builtInDefault(String tenantId) {
		return builtInDefault(tenantId, SIGN_UP_OR_SIGN_IN);
	}

	/** Foyer's default of a kind: open sign-up with email and password, reset offered, names editable. */
	static UserFlow builtInDefault(String tenantId, String kind) {
		boolean signUp = SIGN_UP_OR_SIGN_IN.equals(kind);
		boolean profile = PROFILE_EDIT.equals(kind);
		String name = switch (kind) {
			case PASSWORD_RESET -> "Default password reset";
			case PROFILE_EDIT -> "Default profile editing";
			default -> "Default sign-up and sign-in";
		};
		return new UserFlow(null, tenantId, kind, name, true, signUp ? List.of(EMAIL_PASSWORD) : List.of(), signUp,
				signUp ? List.of(new CollectedAttribute("givenName", true, null), new CollectedAttribute("surname", true, null))
						: List.of(),
				profile ? DEFAULT_EDITABLE : List.of(), true, Map.of(), null, null);
	}

	/** One attribute collected at sign-up. */
	public record CollectedAttribute(String name, Boolean required, String label) {

		public boolean isRequired() {
			return Boolean.TRUE.equals(this.required);
		}

	}

	/** Entra's text key for an attribute's label: {@code Attribute_City} for {@code city}. */
	public static String attributeTextKey(String attribute) {
		return "Attribute_" + Character.toUpperCase(attribute.charAt(0)) + attribute.substring(1);
	}

	/**
	 * The tenant's text for a key in a locale, if it overrides Foyer's: the text for the language and region
	 * ({@code fr-CA}) if there is one, else for the language alone ({@code fr}).
	 */
	public String text(java.util.Locale locale, String key) {
		Map<String, String> regional = locale.getCountry().isEmpty() ? null : this.texts.get(locale.toLanguageTag());
		if (regional != null && regional.get(key) != null) {
			return regional.get(key);
		}
		Map<String, String> forLanguage = this.texts.get(locale.getLanguage());
		return forLanguage == null ? null : forLanguage.get(key);
	}

}
