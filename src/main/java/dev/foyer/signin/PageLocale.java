package dev.foyer.signin;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.context.MessageSource;
import org.springframework.stereotype.Component;
import org.springframework.web.servlet.LocaleResolver;

import dev.foyer.flow.FlowRun;

/**
 * The language of the hosted pages and mails: the app's {@code ui_locales} where Foyer has that language, else the
 * browser's Accept-Language, else English. Built-in languages: English and French.
 */
@Component("localeResolver")
class PageLocale implements LocaleResolver {

	static final List<Locale> SUPPORTED = List.of(Locale.ENGLISH, Locale.FRENCH);

	private static final String ATTRIBUTE = PageLocale.class.getName();

	private final MessageSource messages;

	PageLocale(MessageSource messages) {
		this.messages = messages;
	}

	/** Chooses the page language for this request from the flow's ui_locales, if any. */
	void apply(HttpServletRequest request, FlowRun run) {
		request.setAttribute(ATTRIBUTE, run == null ? resolveLocale(request) : of(run, request));
	}

	Locale of(FlowRun run) {
		return pick(run.get(SignInController.LOCALES)).orElse(Locale.ENGLISH);
	}

	private Locale of(FlowRun run, HttpServletRequest request) {
		return pick(run.get(SignInController.LOCALES)).orElseGet(() -> fromHeader(request));
	}

	String message(String key, Locale locale, Object... args) {
		return this.messages.getMessage(key, args, locale);
	}

	@Override
	public Locale resolveLocale(HttpServletRequest request) {
		Object chosen = request.getAttribute(ATTRIBUTE);
		return chosen instanceof Locale locale ? locale : fromHeader(request);
	}

	@Override
	public void setLocale(HttpServletRequest request, HttpServletResponse response, Locale locale) {
		request.setAttribute(ATTRIBUTE, locale);
	}

	private static Locale fromHeader(HttpServletRequest request) {
		String header = request.getHeader("Accept-Language");
		if (header == null || header.isBlank()) {
			return Locale.ENGLISH;
		}
		try {
			for (Locale.LanguageRange range : Locale.LanguageRange.parse(header)) {
				Optional<Locale> supported = supported(range.getRange());
				if (supported.isPresent()) {
					return supported.get();
				}
			}
			return Locale.ENGLISH;
		}
		catch (IllegalArgumentException ex) {
			return Locale.ENGLISH;
		}
	}

	private static java.util.Optional<Locale> pick(String uiLocales) {
		if (uiLocales == null) {
			return java.util.Optional.empty();
		}
		for (String tag : uiLocales.trim().split("\\s+")) {
			Optional<Locale> supported = supported(tag);
			if (supported.isPresent()) {
				return supported;
			}
		}
		return java.util.Optional.empty();
	}

	/**
	 * The requested tag if Foyer has its language, keeping the region ({@code fr-CA}): Foyer's own texts fall back
	 * to the language, while a tenant's text overrides may be regional.
	 */
	private static Optional<Locale> supported(String tag) {
		Locale wanted = Locale.forLanguageTag(tag);
		for (Locale supported : SUPPORTED) {
			if (supported.getLanguage().equals(wanted.getLanguage())) {
				return Optional.of(wanted.getCountry().isEmpty() ? supported
						: new Locale.Builder().setLanguage(wanted.getLanguage()).setRegion(wanted.getCountry()).build());
			}
		}
		return Optional.empty();
	}

}
