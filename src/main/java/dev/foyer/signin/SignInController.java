package dev.foyer.signin;

import java.io.IOException;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.server.ResponseStatusException;

import dev.foyer.application.Applications;
import dev.foyer.attribute.CustomAttribute;
import dev.foyer.attribute.CustomAttributes;
import dev.foyer.audit.SignInLog;
import dev.foyer.directory.Account;
import dev.foyer.directory.Accounts;
import dev.foyer.directory.PasswordPolicy;
import dev.foyer.flow.FlowRun;
import dev.foyer.flow.FlowRuns;
import dev.foyer.mail.Deliveries;
import dev.foyer.mail.Mail;
import dev.foyer.mail.Mailer;
import dev.foyer.session.SsoSession;
import dev.foyer.session.SsoSessions;
import dev.foyer.tenant.Tenant;
import dev.foyer.tenant.Tenants;
import dev.foyer.userflow.UserFlow;
import dev.foyer.userflow.UserFlows;
import dev.foyer.web.ApiException;
import dev.foyer.web.FieldChecks;

/**
 * The hosted sign-in and sign-up pages of a tenant. Each page belongs to a flow run (see {@link FlowRuns}); every
 * form carries the run's CSRF token. Answers never tell whether an email address has an account: sign-in failures
 * read the same and take the same time, and sign-up shows the same screens either way.
 */
@Controller
@RequestMapping("/t/{tenant}")
class SignInController {

	private static final Logger log = LoggerFactory.getLogger(SignInController.class);

	static final String SIGN_IN = "signin";

	static final String SIGN_UP = "signup";

	static final String CREDENTIALS = "credentials";

	static final String EMAIL = "email";

	static final String LOCALES = "locales";

	static final String CLIENT = "client";

	/** The sign-in log's methods of a password attempt. */
	static final List<String> PASSWORD_METHOD = List.of("pwd");

	/** Which page an authorization request asked to start on: {@link #SIGN_UP} for {@code prompt=create}. */
	static final String START = "start";

	static final String ACCOUNT = "account";

	static final String CHANGE_PASSWORD = "changePassword";

	/** Set on a sign-up whose address was proven by a sign-in code: the account gets no password. */
	static final String PASSWORDLESS = "passwordless";

	static final String VERIFIED = "verified";

	private final Tenants tenants;

	private final Accounts accounts;

	private final FlowRuns flows;

	private final SsoSessions sessions;

	private final SignInThrottle throttle;

	private final Mailer mailer;

	private final Deliveries deliveries;

	private final EmailCodes codes;

	private final dev.foyer.config.BaseUrl baseUrl;

	private final PageLocale locales;

	private final UserFlows userFlows;

	private final Applications applications;

	private final CustomAttributes attributes;

	private final dev.foyer.extension.Extensions extensions;

	private final dev.foyer.extension.ExtensionCalls extensionCalls;

	private final PasswordMigration migration;

	private final SignInLog signIns;

	SignInController(Tenants tenants, Accounts accounts, FlowRuns flows, SsoSessions sessions, SignInThrottle throttle,
			Mailer mailer, Deliveries deliveries, EmailCodes codes, PageLocale locales, UserFlows userFlows, Applications applications,
			CustomAttributes attributes, dev.foyer.config.BaseUrl baseUrl, dev.foyer.extension.Extensions extensions,
			dev.foyer.extension.ExtensionCalls extensionCalls, PasswordMigration migration, SignInLog signIns) {
		this.signIns = signIns;
		this.migration = migration;
		this.extensions = extensions;
		this.extensionCalls = extensionCalls;
		this.baseUrl = baseUrl;
		this.userFlows = userFlows;
		this.applications = applications;
		this.attributes = attributes;
		this.tenants = tenants;
		this.accounts = accounts;
		this.flows = flows;
		this.sessions = sessions;
		this.throttle = throttle;
		this.mailer = mailer;
		this.deliveries = deliveries;
		this.codes = codes;
		this.locales = locales;
	}

	// ---- sign-in ------------------------------------------------------------------------------------------------

	@GetMapping("/login")
	String signInPage(@PathVariable String tenant, @RequestParam(required = false) String flow, Model model,
			HttpServletRequest request, HttpServletResponse response) {
		Tenant t = tenant(tenant);
		Optional<FlowRun> run = this.flows.find(tenant, flow, request);
		if (run.isEmpty()) {
			this.flows.requireCookiesKept(flow, request);
			FlowRun started = this.flows.start(tenant, SIGN_IN, CREDENTIALS, null, Map.of(), request, response);
			return "redirect:/t/" + tenant + "/login?flow=" + started.id();
		}
		FlowRun current = run.get();
		if (SIGN_UP.equals(current.get(START)) && userFlow(t, current).selfServiceSignUp()) {
			return signUpStart(t, current, model, request);
		}
		if (!SIGN_IN.equals(current.kind())) {
			current = current.withStep(SIGN_IN, CREDENTIALS, current.data());
			this.flows.save(current);
		}
		return signInView(t, current, model, request, null, current.get(EMAIL));
	}

	@PostMapping("/login")
	String signIn(@PathVariable String tenant, @RequestParam(required = false) String flow,
			@RequestParam(required = false) String csrf, @RequestParam(required = false) String email,
			@RequestParam(required = false) String password, Model model, HttpServletRequest request,
			HttpServletResponse response) {
		Tenant t = tenant(tenant);
		FlowRun run = postedFlow(tenant, flow, csrf, request);
		if (!userFlow(t, run).signInMethods().contains(UserFlow.EMAIL_PASSWORD)) {
			throw new ResponseStatusException(HttpStatus.FORBIDDEN, "generic");
		}
		if (!this.throttle.allowPost(request.getRemoteAddr())) {
			logAttempt(tenant, run, "rateLimited", PASSWORD_METHOD, null, email, request);
			response.setStatus(HttpStatus.TOO_MANY_REQUESTS.value());
			return signInView(t, run, model, request, "error.rateLimited", email);
		}
		if (email == null || email.isBlank() || password == null || password.isEmpty() || password.length() > 1024) {
			return signInView(t, run, model, request, "error.invalidCredentials", email);
		}
		// The attempt counts from here, before its password is checked.
		SignInThrottle.Attempt attempt = this.throttle.beginOnPage(tenant, email, request, model, response);
		if (attempt == null) {
			logAttempt(tenant, run, "lockedOut", PASSWORD_METHOD, null, email, request);
			return signInView(t, run, model, request, SignInThrottle.LOCKED_OUT, email);
		}
		Optional<Accounts.VerifiedPassword> verified = this.accounts.verifyPassword(tenant, email, password);
		if (verified.isPresent()) {
			this.migration.settled(tenant, verified.get().account().id());
		}
		else {
			PasswordMigration.Outcome migrated = this.migration.afterMismatch(tenant, run.get(CLIENT), email, password, request,
					this.locales.resolveLocale(request).toLanguageTag().toLowerCase(Locale.ROOT));
			switch (migrated) {
				case PasswordMigration.Migrated m -> verified = Optional.of(new Accounts.VerifiedPassword(
						this.accounts.get(tenant, m.account().id()),
						this.accounts.passwordChangeRequired(tenant, m.account().id())));
				case PasswordMigration.Blocked blocked -> {
					this.throttle.withdraw(attempt);
					logAttempt(tenant, run, "extensionRefused", PASSWORD_METHOD, null, email, request);
					page(t, run, model, request);
					model.addAttribute("message", "error.signInBlocked");
					model.addAttribute("messageText", blocked.message() != null ? blocked.message() : blocked.title());
					return "signin/error";
				}
				case PasswordMigration.Failed failed -> {
					this.throttle.withdraw(attempt);
					logAttempt(tenant, run, "extensionFailed", PASSWORD_METHOD, null, email, request);
					page(t, run, model, request);
					model.addAttribute("message", "error.signInUnavailable");
					model.addAttribute("reference", failed.reference());
					return "signin/error";
				}
				case PasswordMigration.NotMigrating n -> {
				}
				case PasswordMigration.Wrong w -> {
				}
			}
		}
		if (verified.isEmpty()) {
			// The attempt stays counted as a failure.
			logAttempt(tenant, run, "invalidCredentials", PASSWORD_METHOD, null, email, request);
			if (attempt.pausesTheAddress()) {
				noticePause(t, email, this.locales.of(run));
			}
			return signInView(t, run, model, request, "error.invalidCredentials", email);
		}
		Account account = verified.get().account();
		this.throttle.clear(tenant, email);
		if (!account.accountEnabled()) {
			logAttempt(tenant, run, "blocked", PASSWORD_METHOD, account.id(), account.email(), request);
			return signInView(t, run, model, request, "error.blocked", email);
		}
		if (verified.get().changeRequired()) {
			Map<String, String> data = new HashMap<>(run.data());
			data.put(ACCOUNT, account.id());
			FlowRun next = run.withStep(SIGN_IN, CHANGE_PASSWORD, data);
			this.flows.save(next);
			return changePasswordView(t, next, model, request, null);
		}
		return signedIn(t, run, account, List.of("pwd"), request, response);
	}

	String signInPageFor(Tenant tenant, FlowRun run, Model model, HttpServletRequest request, String error, String email) {
		return signInView(tenant, run, model, request, error, email);
	}

	private String signInView(Tenant tenant, FlowRun run, Model model, HttpServletRequest request, String error,
			String email) {
		page(tenant, run, model, request);
		UserFlow flow = userFlow(tenant, run);
		model.addAttribute("signUpAllowed", flow.selfServiceSignUp());
		model.addAttribute("passwordSignIn", flow.signInMethods().contains(UserFlow.EMAIL_PASSWORD));
		model.addAttribute("otpSignIn", flow.signInMethods().contains(UserFlow.EMAIL_OTP));
		model.addAttribute("passwordReset", this.userFlows.passwordReset(tenant.id()).enabled());
		model.addAttribute("title", text(flow, request, "SignIn_Title", "signin.title"));
		model.addAttribute("email", email);
		model.addAttribute("error", error);
		return "signin/login";
	}

	/** After a temporary password: the person must choose their own before going on. */
	@PostMapping("/login/new-password")
	String newPassword(@PathVariable String tenant, @RequestParam(required = false) String flow,
			@RequestParam(required = false) String csrf, @RequestParam(required = false) String password, Model model,
			HttpServletRequest request, HttpServletResponse response) {
		Tenant t = tenant(tenant);
		FlowRun run = postedFlow(tenant, flow, csrf, request);
		if (!CHANGE_PASSWORD.equals(run.step()) || run.get(ACCOUNT) == null) {
			throw new ResponseStatusException(HttpStatus.BAD_REQUEST, "flow.expired");
		}
		String refused = this.accounts.replaceTemporaryPassword(tenant, run.get(ACCOUNT), password);
		if (refused != null) {
			model.addAttribute("problem", refused);
			return changePasswordView(t, run, model, request, "error.checkFields");
		}
		return signedIn(t, run, this.accounts.get(tenant, run.get(ACCOUNT)), List.of("pwd"), request, response);
	}

	private String changePasswordView(Tenant tenant, FlowRun run, Model model, HttpServletRequest request, String error) {
		page(tenant, run, model, request);
		model.addAttribute("error", error);
		model.addAttribute("minLength", PasswordPolicy.MIN_LENGTH);
		model.addAttribute("maxLength", PasswordPolicy.MAX_LENGTH);
		return "signin/new-password";
	}

	// ---- sign-up ------------------------------------------------------------------------------------------------

	@GetMapping("/signup")
	String signUpPage(@PathVariable String tenant, @RequestParam(required = false) String flow, Model model,
			HttpServletRequest request, HttpServletResponse response) {
		Tenant t = tenant(tenant);
		Optional<FlowRun> run = this.flows.find(tenant, flow, request);
		if (run.isEmpty()) {
			this.flows.requireCookiesKept(flow, request);
			FlowRun started = this.flows.start(tenant, SIGN_UP, EMAIL, null, Map.of(), request, response);
			return "redirect:/t/" + tenant + "/signup?flow=" + started.id();
		}
		FlowRun current = run.get();
		if (!userFlow(t, current).selfServiceSignUp()) {
			throw new ResponseStatusException(HttpStatus.FORBIDDEN, "signUpDisabled");
		}
		return signUpStart(t, current, model, request);
	}

	/**
	 * The sign-up page of a flow run; a sign-in run turns into a sign-up run that keeps only the app and the
	 * language (and so no longer carries the authorization request's {@code prompt=create}, which led here).
	 */
	private String signUpStart(Tenant t, FlowRun run, Model model, HttpServletRequest request) {
		FlowRun current = run;
		if (!SIGN_UP.equals(current.kind())) {
			Map<String, String> data = new HashMap<>();
			Optional.ofNullable(current.get(LOCALES)).ifPresent(l -> data.put(LOCALES, l));
			Optional.ofNullable(current.get(CLIENT)).ifPresent(c -> data.put(CLIENT, c));
			current = current.withStep(SIGN_UP, EMAIL, data);
			this.flows.save(current);
		}
		return signUpView(t, current, model, request, null);
	}

	@PostMapping("/signup/email")
	String signUpEmail(@PathVariable String tenant, @RequestParam(required = false) String flow,
			@RequestParam(required = false) String csrf, @RequestParam(required = false) String email, Model model,
			HttpServletRequest request, HttpServletResponse response) {
		Tenant t = tenant(tenant);
		FlowRun run = postedFlow(tenant, flow, csrf, request);
		if (!this.throttle.allowPost(request.getRemoteAddr())) {
			response.setStatus(HttpStatus.TOO_MANY_REQUESTS.value());
			return signUpView(t, run, model, request, "error.rateLimited");
		}
		FieldChecks checks = new FieldChecks();
		String address = checks.email("email", email, true);
		if (address == null) {
			model.addAttribute("email", email);
			return signUpView(t, run.withStep(SIGN_UP, EMAIL, run.data()), model, request, "error.invalidEmail");
		}
		if (!userFlow(t, run).selfServiceSignUp()) {
			throw new ResponseStatusException(HttpStatus.FORBIDDEN, "signUpDisabled");
		}
		Map<String, String> data = new HashMap<>();
		Optional.ofNullable(run.get(LOCALES)).ifPresent(l -> data.put(LOCALES, l));
		Optional.ofNullable(run.get(CLIENT)).ifPresent(c -> data.put(CLIENT, c));
		data.put(EMAIL, address);
		FlowRun next = run.withStep(SIGN_UP, "code", data);
		next = sendCode(t, next);
		this.flows.save(next);
		return signUpView(t, next, model, request, null);
	}

	@PostMapping("/signup/resend")
	String signUpResend(@PathVariable String tenant, @RequestParam(required = false) String flow,
			@RequestParam(required = false) String csrf, Model model, HttpServletRequest request) {
		Tenant t = tenant(tenant);
		FlowRun run = postedFlow(tenant, flow, csrf, request);
		if (!"code".equals(run.step())) {
			return signUpView(t, run, model, request, null);
		}
		var next = this.codes.resend(run, fresh -> sendCode(t, fresh));
		if (next.isEmpty()) {
			return signUpView(t, run, model, request, "error.resendTooSoon");
		}
		model.addAttribute("notice", "notice.codeResent");
		return signUpView(t, next.get(), model, request, null);
	}

	@PostMapping("/signup/code")
	String signUpCode(@PathVariable String tenant, @RequestParam(required = false) String flow,
			@RequestParam(required = false) String csrf, @RequestParam(required = false) String code, Model model,
			HttpServletRequest request) {
		Tenant t = tenant(tenant);
		FlowRun run = postedFlow(tenant, flow, csrf, request);
		if (!"code".equals(run.step())) {
			return signUpView(t, run, model, request, null);
		}
		Map<String, String> extra = userFlow(t, run).signInMethods().contains(UserFlow.EMAIL_PASSWORD) ? Map.of()
				: Map.of(PASSWORDLESS, "true"); // the flow signs in by code only: a password would never be used
		EmailCodes.Verification verified = this.codes.verify(run, SIGN_UP, code, "details", extra);
		return signUpView(t, verified.run(), model, request, verified.error());
	}

	@PostMapping("/signup/details")
	String signUpDetails(@PathVariable String tenant, @RequestParam(required = false) String flow,
			@RequestParam(required = false) String csrf, @RequestParam(required = false) String password, Model model,
			HttpServletRequest request, HttpServletResponse response) {
		Tenant t = tenant(tenant);
		FlowRun run = postedFlow(tenant, flow, csrf, request);
		if (!"details".equals(run.step()) || !"true".equals(run.get(VERIFIED))) {
			return signUpView(t, run, model, request, null);
		}
		UserFlow userFlow = userFlow(t, run);
		String email = run.get(EMAIL);
		boolean passwordless = "true".equals(run.get(PASSWORDLESS));
		FieldChecks checks = new FieldChecks();
		if (!passwordless) {
			PasswordPolicy.check(checks, "password", password == null ? "" : password, email);
		}
		Map<String, String> builtIn = new HashMap<>();
		Map<String, Object> custom = new HashMap<>();
		for (UserFlow.CollectedAttribute collected : userFlow.attributes()) {
			String[] given = request.getParameterValues("attr." + collected.name());
			List<String> values = given == null ? List.of()
					: java.util.Arrays.stream(given).filter(v -> v != null && !v.isBlank()).toList();
			Optional<CustomAttribute> declared = this.attributes.find(tenant, collected.name());
			if (declared.isEmpty() && !UserFlows.COLLECTABLE_BUILT_INS.contains(collected.name())) {
				continue; // the attribute was deleted after the flow was configured
			}
			boolean checkbox = declared.map(a -> a.inputControl() == CustomAttribute.InputControl.checkboxSingleSelect).orElse(false);
			boolean required = collected.isRequired() || declared.map(CustomAttribute::required).orElse(false);
			if (required && (values.isEmpty() || checkbox && !values.contains("true"))) {
				checks.problem("attributes." + collected.name(), "is required");
				continue;
			}
			if (declared.isEmpty()) {
				if (!values.isEmpty()) {
					builtIn.put(collected.name(), checks.text("attributes." + collected.name(), values.get(0), 256, false));
				}
			}
			else if (declared.get().multiValued()) {
				custom.put(collected.name(), values);
			}
			else if (checkbox) {
				custom.put(collected.name(), values.contains("true") ? "true" : "false");
			}
			else if (!values.isEmpty()) {
				custom.put(collected.name(), values.get(0));
			}
		}
		if (!checks.hasProblems()) {
			this.attributes.check(checks, tenant, custom);
		}
		if (checks.hasProblems()) {
			model.addAttribute("problems", problems(checks));
			return signUpView(t, run, model, request, "error.checkFields");
		}
		String stopped = submitToExtension(t, run, userFlow, email, builtIn, custom, model, request);
		if (stopped != null) {
			return stopped;
		}
		String given = builtIn.get("givenName");
		String family = builtIn.get("surname");
		String display = builtIn.getOrDefault("displayName",
				((given == null ? "" : given) + " " + (family == null ? "" : family)).strip());
		Account account;
		try {
			account = this.accounts.signUp(tenant, email, passwordless ? null : password, new Accounts.Profile(display.isEmpty() ? null : display,
					given, family, builtIn.get("streetAddress"), builtIn.get("city"), builtIn.get("state"),
					builtIn.get("postalCode"), builtIn.get("country"), builtIn.get("jobTitle"), builtIn.get("companyName")),
					custom);
		}
		catch (ApiException | org.springframework.dao.DuplicateKeyException ex) {
			// The address got an account meanwhile (or had one: then no code was ever valid to get here).
			return signUpView(t, run, model, request, "error.signUpFailed");
		}
		return signedIn(t, run, account, passwordless ? List.of("otp") : List.of("pwd", "otp"), request, response);
	}

	/**
	 * The attribute collection submit extension of the run's app, if any (Entra's {@code attributeCollectionSubmit}):
	 * it may let sign-up go on, change values ({@code builtIn} and {@code custom} are updated, and checked again), show
	 * validation errors on this page, or end sign-up on a block page. Returns the view that stops sign-up, or null.
	 */
	private String submitToExtension(Tenant tenant, FlowRun run, UserFlow userFlow, String email, Map<String, String> builtIn,
			Map<String, Object> custom, Model model, HttpServletRequest request) {
		String clientId = run.get(CLIENT);
		var attached = this.extensions.attributeCollectionSubmit(tenant.id(), clientId);
		if (attached.isEmpty()) {
			return null;
		}
		Map<String, Object> entered = new java.util.LinkedHashMap<>(builtIn);
		for (Map.Entry<String, Object> value : custom.entrySet()) {
			entered.put(value.getKey(), this.attributes.find(tenant.id(), value.getKey())
				.map(a -> typed(a, value.getValue()))
				.orElse(value.getValue()));
		}
		dev.foyer.extension.ExtensionCalls.SubmitOutcome outcome;
		try {
			outcome = this.extensionCalls.attributeCollectionSubmit(attached.get(),
					new dev.foyer.extension.ExtensionCalls.SignInContext(tenant.id(), clientId, request.getRemoteAddr(),
							this.locales.resolveLocale(request).toLanguageTag(), Map.of("mail", email)),
					email, entered, custom.keySet());
		}
		catch (dev.foyer.extension.ExtensionCalls.ExtensionFailure failure) {
			if (attached.get().extension().continueOnError()) {
				return null;
			}
			model.addAttribute("message", "error.extensionFailed");
			model.addAttribute("reference", failure.correlationId());
			page(tenant, run, model, request);
			return "signin/error";
		}
		switch (outcome.action()) {
			case BLOCK -> {
				page(tenant, run, model, request);
				model.addAttribute("message", "error.signUpBlocked");
				model.addAttribute("messageText", outcome.message());
				return "signin/error";
			}
			case VALIDATION_ERROR -> {
				Map<String, String> problems = new HashMap<>();
				outcome.attributeErrors().forEach((name, message) -> problems.put("attributes." + name, message));
				model.addAttribute("problems", problems);
				model.addAttribute("errorText", outcome.message());
				return signUpView(tenant, run, model, request, outcome.message() == null ? "error.checkFields" : null);
			}
			case MODIFY -> {
				FieldChecks checks = new FieldChecks();
				Map<String, Object> changedCustom = new HashMap<>();
				for (UserFlow.CollectedAttribute collected : userFlow.attributes()) {
					Object value = outcome.attributes().get(collected.name());
					if (value == null) {
						continue;
					}
					if (UserFlows.COLLECTABLE_BUILT_INS.contains(collected.name())) {
						builtIn.put(collected.name(), checks.text("attributes." + collected.name(), String.valueOf(value), 256, false));
					}
					else {
						changedCustom.put(collected.name(), value instanceof List<?> list ? list.stream().map(String::valueOf).toList()
								: String.valueOf(value));
					}
				}
				this.attributes.check(checks, tenant.id(), changedCustom);
				if (checks.hasProblems()) {
					// The extension's values break the tenant's own rules: refuse them as a failed call would be.
					model.addAttribute("message", "error.extensionFailed");
					page(tenant, run, model, request);
					return "signin/error";
				}
				custom.putAll(changedCustom);
				return null;
			}
			default -> {
				return null;
			}
		}
	}

	/** The start extension's effect: a view that replaces the page (block page, error), or values to prefill. */
	private record Started(String view, Map<String, Object> prefill) {
	}

	private Started startAttributeCollection(Tenant tenant, FlowRun run, Model model, HttpServletRequest request) {
		String clientId = run.get(CLIENT);
		var attached = this.extensions.attributeCollectionStart(tenant.id(), clientId);
		if (attached.isEmpty()) {
			return new Started(null, Map.of());
		}
		try {
			var outcome = this.extensionCalls.attributeCollectionStart(attached.get(),
					new dev.foyer.extension.ExtensionCalls.SignInContext(tenant.id(), clientId, request.getRemoteAddr(),
							this.locales.resolveLocale(request).toLanguageTag(), Map.of("mail", run.get(EMAIL))),
					run.get(EMAIL));
			if (outcome.blockMessage() != null) {
				model.addAttribute("message", "error.signUpBlocked");
				model.addAttribute("messageText", outcome.blockMessage().isBlank() ? null : outcome.blockMessage());
				return new Started("signin/error", Map.of());
			}
			return new Started(null, outcome.prefill());
		}
		catch (dev.foyer.extension.ExtensionCalls.ExtensionFailure failure) {
			if (attached.get().extension().continueOnError()) {
				return new Started(null, Map.of());
			}
			model.addAttribute("message", "error.extensionFailed");
			model.addAttribute("reference", failure.correlationId());
			return new Started("signin/error", Map.of());
		}
	}

	/** A custom attribute's posted value as Entra types it: booleans and whole numbers as such, the rest as text. */
	private static Object typed(CustomAttribute attribute, Object value) {
		if (value instanceof String text) {
			if (attribute.dataType() == CustomAttribute.DataType.booleanValue) {
				return Boolean.parseBoolean(text);
			}
			if (attribute.dataType() == CustomAttribute.DataType.integer) {
				try {
					return Long.parseLong(text);
				}
				catch (NumberFormatException ex) {
					return text;
				}
			}
		}
		return value;
	}

	private String signUpView(Tenant tenant, FlowRun run, Model model, HttpServletRequest request, String error) {
		page(tenant, run, model, request);
		UserFlow flow = userFlow(tenant, run);
		model.addAttribute("title", "details".equals(run.step()) ? text(flow, request, "AttributeCollection_Title", "signup.title")
				: text(flow, request, "SignUp_Title", "signup.title"));
		model.addAttribute("passwordless", "true".equals(run.get(PASSWORDLESS)));
		if ("details".equals(run.step())) {
			@SuppressWarnings("unchecked")
			Map<String, String> problems = (Map<String, String>) model.getAttribute("problems");
			Map<String, Object> prefill = Map.of();
			if (problems == null && error == null) {
				// The page shows as loaded, not as the answer to a post of it (that one carries problems or an error):
				// the attribute collection start extension may prefill or block it.
				var started = startAttributeCollection(tenant, run, model, request);
				if (started.view() != null) {
					return started.view();
				}
				prefill = started.prefill();
			}
			model.addAttribute("fields", fields(tenant, flow, request, problems == null ? Map.of() : problems, prefill));
		}
		model.addAttribute("error", error);
		model.addAttribute("step", SIGN_UP.equals(run.kind()) ? run.step() : EMAIL);
		model.addAttribute("email", model.getAttribute("email") != null ? model.getAttribute("email") : run.get(EMAIL));
		model.addAttribute("minLength", PasswordPolicy.MIN_LENGTH);
		model.addAttribute("maxLength", PasswordPolicy.MAX_LENGTH);
		return "signin/signup";
	}

	/**
	 * Sends the 6-digit code, or — when the address already has an account — a mail saying so instead. Either way
	 * the person sees the same next screen: the page never tells which.
	 */
	private FlowRun sendCode(Tenant tenant, FlowRun run) {
		String email = run.get(EMAIL);
		boolean exists = this.accounts.findByEmail(tenant.id(), email).isPresent();
		EmailCodes.Issued issued = this.codes.issue(run, SIGN_UP, !exists);
		FlowRun next = run.withStep(SIGN_UP, "code", issued.data());
		Locale locale = this.locales.of(next);
		if (exists) {
			Mail note = new Mail(email, this.locales.message("mail.exists.subject", locale, tenant.displayName()),
					this.locales.message("mail.exists.body", locale, tenant.displayName(),
							this.baseUrl.toString() + "/t/" + tenant.id() + "/login"));
			// After the answer, as the code is (EmailCodes.deliver): both take the same time to answer.
			this.deliveries.later("mail.exists", () -> this.mailer.send(note));
		}
		else {
			this.codes.deliver(tenant, next, email, issued.code(), "mail.code");
		}
		return next;
	}

	// ---- shared -------------------------------------------------------------------------------------------------

	/**
	 * Starts the SSO session (a new cookie), ends the flow, and completes the app's authorization request in this
	 * answer ({@link AuthorizationReturn}): {@code null}, the answer is written. Else back to the account page, or
	 * the signed-in page.
	 */
	String signedIn(Tenant tenant, FlowRun run, Account account, List<String> amr, HttpServletRequest request,
			HttpServletResponse response) {
		SsoSession session = this.sessions.start(tenant.id(), account.id(), amr, request, response);
		this.throttle.rememberBrowser(request, response, tenant.id(), account.email());
		this.flows.finish(run);
		log.info("Signed in account {} to tenant {} ({})", account.id(), tenant.id(), String.join(",", amr));
		logAttempt(tenant.id(), run, "success", amr, account.id(), account.email(), request);
		if (AuthorizationReturn.isAuthorizationRequest(tenant.id(), run.returnTo())) {
			try {
				AuthorizationReturn.complete(run.returnTo(), session.authentication(), request, response);
			}
			catch (IOException | ServletException ex) {
				throw new IllegalStateException("the authorization request could not be completed", ex);
			}
			return null;
		}
		if (("/t/" + tenant.id() + "/account").equals(run.returnTo())) {
			return "redirect:" + run.returnTo();
		}
		return "redirect:/t/" + tenant.id() + "/signed-in";
	}

	/**
	 * Tells an address's owner, after the answer, that wrong passwords have just paused password sign-in for it on
	 * browsers it has not signed in with (Auth0's brute-force notice), so that a stranger's guessing does not go
	 * unnoticed. Nothing goes to an address without an account; and since the mail leaves after the answer, the
	 * answer takes the same time either way.
	 */
	private void noticePause(Tenant tenant, String email, Locale locale) {
		this.deliveries.later("mail.lockedOut", () -> this.accounts.findByEmail(tenant.id(), email)
			.ifPresent(account -> this.mailer.send(new Mail(account.email(),
					this.locales.message("mail.lockedOut.subject", locale, tenant.displayName()),
					this.locales.message("mail.lockedOut.body", locale, tenant.displayName(), SignInThrottle.LOCKOUT_THRESHOLD)))));
	}

	/**
	 * Puts a sign-in attempt in the sign-in log (queued: it costs the answer no write). {@code accountId} where the
	 * attempt is known to be an account's; else the log finds it from the address.
	 */
	void logAttempt(String tenantId, FlowRun run, String outcome, List<String> methods, String accountId, String email,
			HttpServletRequest request) {
		this.signIns.record(new SignInLog.Attempt(tenantId, outcome, methods, accountId,
				email == null ? null : FieldChecks.normaliseEmail(email), run.get(CLIENT), request.getRemoteAddr(),
				request.getHeader("User-Agent"), true));
	}

	@GetMapping("/signed-in")
	String signedInPage(@PathVariable String tenant, Model model, HttpServletRequest request) {
		Tenant t = tenant(tenant);
		model.addAttribute("org", t);
		model.addAttribute("signedIn", this.sessions.current(tenant, request).isPresent());
		this.locales.apply(request, null);
		return "signin/signed-in";
	}

	/** The user flow of the app that started this run, else the tenant's default. */
	UserFlow userFlow(Tenant tenant, FlowRun run) {
		String flowId = Optional.ofNullable(run.get(CLIENT))
			.flatMap(clientId -> this.applications.client(tenant.id(), clientId))
			.map(client -> client.application().userFlowId())
			.orElse(null);
		return this.userFlows.flowFor(tenant.id(), flowId);
	}

	/** The tenant's text for a key in the page language, else Foyer's own. */
	private String text(UserFlow flow, HttpServletRequest request, String key, String messageKey) {
		Locale locale = this.locales.resolveLocale(request);
		String own = flow.text(locale, key);
		return own != null ? own : this.locales.message(messageKey, locale);
	}

	private List<SignUpField> fields(Tenant tenant, UserFlow flow, HttpServletRequest request, Map<String, String> problems,
			Map<String, Object> prefill) {
		Locale locale = this.locales.resolveLocale(request);
		List<SignUpField> fields = new java.util.ArrayList<>();
		for (UserFlow.CollectedAttribute collected : flow.attributes()) {
			Optional<CustomAttribute> declared = this.attributes.find(tenant.id(), collected.name());
			if (declared.isEmpty() && !UserFlows.COLLECTABLE_BUILT_INS.contains(collected.name())) {
				continue;
			}
			String override = flow.text(locale, UserFlow.attributeTextKey(collected.name()));
			String label = collected.label() != null ? collected.label() : override != null ? override
					: declared.map(CustomAttribute::label).orElseGet(() -> this.locales.message("field." + collected.name(), locale));
			String control = declared.map(a -> a.inputControl().name()).orElse("textBox");
			String[] given = request.getParameterValues("attr." + collected.name());
			Object prefilled = prefill.get(collected.name());
			if (given == null && prefilled != null) {
				given = prefilled instanceof List<?> list ? list.stream().map(String::valueOf).toArray(String[]::new)
						: String.valueOf(prefilled).split(",");
			}
			fields.add(new SignUpField(collected.name(), control, SignUpField.segments(label),
					collected.isRequired() || declared.map(CustomAttribute::required).orElse(false),
					declared.map(CustomAttribute::allowedValues).orElse(null) == null ? List.of()
							: declared.get().allowedValues(),
					given == null ? List.of() : List.of(given), problems.get("attributes." + collected.name())));
		}
		return fields;
	}

	FlowRun postedFlow(String tenant, String flow, String csrf, HttpServletRequest request) {
		return this.flows.posted(tenant, flow, csrf, request);
	}

	private void page(Tenant tenant, FlowRun run, Model model, HttpServletRequest request) {
		this.locales.apply(request, run);
		model.addAttribute("org", tenant);
		model.addAttribute("flow", run);
	}

	private Tenant tenant(String id) {
		return this.tenants.find(id).orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND));
	}

	private static Map<String, String> problems(FieldChecks checks) {
		Map<String, String> problems = new HashMap<>();
		checks.problems().forEach(p -> problems.putIfAbsent(p.field(), p.message()));
		return problems;
	}

}
