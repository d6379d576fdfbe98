package dev.foyer.session;

import java.util.Arrays;

import jakarta.servlet.http.HttpServletRequest;

/**
 * The {@code prompt} of an authorization request (OpenID Connect Core 3.1.2.1, Prompt Create 1.0): a space-separated
 * list of values, read the same way wherever one of them changes what happens.
 */
public final class Prompts {

	private Prompts() {
	}

	/** Whether the request's {@code prompt} lists {@code value} ({@code none}, {@code login}, {@code create}). */
	public static boolean asks(HttpServletRequest request, String value) {
		String prompt = request.getParameter("prompt");
		return prompt != null && Arrays.asList(prompt.split(" ")).contains(value);
	}

}
