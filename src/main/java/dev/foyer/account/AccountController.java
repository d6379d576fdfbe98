package dev.foyer.account;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.MessageSource;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.servlet.LocaleResolver;

import dev.foyer.attribute.CustomAttribute;
import dev.foyer.attribute.CustomAttributes;
import dev.foyer.audit.SignInEvent;
import dev.foyer.audit.SignInLog;
import dev.foyer.directory.Account;
import dev.foyer.directory.Accounts;
import dev.foyer.directory.Groups;
import dev.foyer.flow.FlowRun;
import dev.foyer.flow.FlowRuns;
import dev.foyer.mail.Mail;
import dev.foyer.mail.Mailer;
import dev.foyer.protocol.Grants;
import dev.foyer.session.SsoSession;
import dev.foyer.session.SsoSessions;
import dev.foyer.tenant.Tenant;
import dev.foyer.tenant.Tenants;
import dev.foyer.userflow.UserFlow;
import dev.foyer.userflow.UserFlows;
import dev.foyer.web.ApiException;
import dev.foyer.web.RequestLogFilter;

import tools.jackson.databind.json.JsonMapper;

/**
 * The hosted account page of a tenant ({@code /t/{tenant}/account}): the signed-in person edits the attributes the
 * tenant's profile settings allow, changes the password, sees and ends sessions, sees and revokes the apps holding
 * refresh tokens, exports their data and deletes the account. Every form carries a flow run's CSRF token.
 */
@Controller
@RequestMapping("/t/{tenant}/account")
class AccountController {

	private static final Logger log = LoggerFactory.getLogger(AccountController.class);

	/** Deleting an account without a password needs a sign-in this recent. */
	static final Duration RECENT_SIGN_IN = Duration.ofMinutes(5);

	private final Tenants tenants;

	private final Accounts accounts;

	private final SsoSessions sessions;

	/** How many sign-in attempts the page shows, and the export holds (the latest). */
	static final int RECENT_ACTIVITY = 10;

	static final int EXPORTED_ACTIVITY = 200;

	private final SignInLog signIns;

	private final FlowRuns flows;

	private final Grants grants;

	private final Groups groups;

	private final CustomAttributes attributes;

	private final UserFlows userFlows;

	private final Mailer mailer;

	private final MessageSource messages;

	private final LocaleResolver locales;

	private final JsonMapper json;

	AccountController(Tenants tenants, Accounts accounts, SsoSessions sessions, FlowRuns flows, Grants grants,
			Groups groups, CustomAttributes attributes, UserFlows userFlows, Mailer mailer, MessageSource messages,
			LocaleResolver locales, JsonMapper json, SignInLog signIns) {
		this.signIns = signIns;
		this.tenants = tenants;
		this.accounts = accounts;
		this.sessions = sessions;
		this.flows = flows;
		this.grants = grants;
		this.groups = groups;
		this.attributes = attributes;
		this.userFlows = userFlows;
		this.mailer = mailer;
		this.messages = messages;
		this.locales = locales;
		this.json = json;
	}

	@GetMapping
	String page(@PathVariable String tenant, Model model, HttpServletRequest request, HttpServletResponse response) {
		Tenant t = tenant(tenant);
		Optional<SsoSession> session = this.sessions.current(tenant, request);
		if (session.isEmpty()) {
			FlowRun signIn = this.flows.start(tenant, "signin", "credentials", "/t/" + tenant + "/account", Map.of(), request,
					response);
			return "redirect:/t/" + tenant + "/login?flow=" + signIn.id();
		}
		return render(t, session.get(), model, request, response, null, null);
	}

	@PostMapping("/profile")
	String profile(@PathVariable String tenant, @RequestParam(required = false) String flow,
			@RequestParam(required = false) String csrf, Model model, HttpServletRequest request,
			HttpServletResponse response) {
		Tenant t = tenant(tenant);
		SsoSession session = posted(tenant, flow, csrf, request);
		UserFlow settings = this.userFlows.profileEdit(tenant);
		Map<String, Object> custom = new HashMap<>();
		Map<String, String> builtIn = new HashMap<>();
		for (String name : settings.editableAttributes()) {
			String[] given = request.getParameterValues("attr." + name);
			List<String> values = given == null ? List.of() : List.of(given);
			Optional<CustomAttribute> declared = this.attributes.find(tenant, name);
			if (declared.isEmpty()) {
				builtIn.put(name, values.isEmpty() ? "" : values.get(0));
			}
			else if (declared.get().multiValued()) {
				custom.put(name, values);
			}
			else if (declared.get().inputControl() == CustomAttribute.InputControl.checkboxSingleSelect) {
				custom.put(name, values.contains("true") ? "true" : "false");
			}
			else {
				custom.put(name, values.isEmpty() || values.get(0).isBlank() ? null : values.get(0));
			}
		}
		try {
			this.accounts.update(tenant, session.accountId(), new Accounts.AccountChanges(null, null, null, null,
					new Accounts.Profile(builtIn.get("displayName"), builtIn.get("givenName"), builtIn.get("surname"),
							builtIn.get("streetAddress"), builtIn.get("city"), builtIn.get("state"), builtIn.get("postalCode"),
							builtIn.get("country"), builtIn.get("jobTitle"), builtIn.get("companyName")),
					custom));
		}
		catch (ApiException ex) {
			return render(t, session, model, request, response, ex.fieldProblems().isEmpty() ? ex.getMessage()
					: ex.fieldProblems().get(0).field().replace("attributes.", "") + " " + ex.fieldProblems().get(0).message(), null);
		}
		return render(t, session, model, request, response, null, "account.saved");
	}

	@PostMapping("/password")
	String password(@PathVariable String tenant, @RequestParam(required = false) String flow,
			@RequestParam(required = false) String csrf, @RequestParam(required = false) String currentPassword,
			@RequestParam(required = false) String newPassword, Model model, HttpServletRequest request,
			HttpServletResponse response) {
		Tenant t = tenant(tenant);
		SsoSession session = posted(tenant, flow, csrf, request);
		Optional<String> refused = this.accounts.changePassword(tenant, session.accountId(), currentPassword, newPassword);
		if (refused.isPresent()) {
			return render(t, session, model, request, response, refused.get(), null);
		}
		// Every other session and refresh token ended; this browser continues with a fresh session.
		SsoSession fresh = this.sessions.start(tenant, session.accountId(), List.of("pwd"), request, response);
		return render(t, fresh, model, request, response, null, "account.passwordChanged");
	}

	@PostMapping("/sessions/end")
	String endSession(@PathVariable String tenant, @RequestParam(required = false) String flow,
			@RequestParam(required = false) String csrf, @RequestParam(required = false) String sessionId, Model model,
			HttpServletRequest request, HttpServletResponse response) {
		Tenant t = tenant(tenant);
		SsoSession session = posted(tenant, flow, csrf, request);
		this.sessions.endOne(tenant, session.accountId(), sessionId);
		if (session.id().equals(sessionId)) {
			return "redirect:/t/" + tenant + "/signed-out";
		}
		return render(t, session, model, request, response, null, "account.sessionEnded");
	}

	@PostMapping("/apps/revoke")
	String revokeApp(@PathVariable String tenant, @RequestParam(required = false) String flow,
			@RequestParam(required = false) String csrf, @RequestParam(required = false) String applicationId, Model model,
			HttpServletRequest request, HttpServletResponse response) {
		Tenant t = tenant(tenant);
		SsoSession session = posted(tenant, flow, csrf, request);
		this.grants.revoke(tenant, session.accountId(), applicationId);
		return render(t, session, model, request, response, null, "account.appRevoked");
	}

	/** Everything Foyer holds about the signed-in person, as JSON (never password hashes or tokens). */
	@GetMapping("/export")
	ResponseEntity<String> export(@PathVariable String tenant, HttpServletRequest request) {
		tenant(tenant);
		SsoSession session = this.sessions.current(tenant, request)
			.orElseThrow(() -> new ResponseStatusException(HttpStatus.UNAUTHORIZED, "flow.expired"));
		Account account = this.accounts.get(tenant, session.accountId());
		Map<String, Object> data = new LinkedHashMap<>();
		data.put("account", account);
		data.put("attributes", this.attributes.valuesOf(tenant, List.of(account.id())).getOrDefault(account.id(), Map.of()));
		data.put("groups", this.groups.groupsOf(tenant, account.id()).stream().map(g -> g.displayName()).toList());
		data.put("sessions", this.sessions.sessionsOf(tenant, account.id()));
		data.put("apps", this.grants.appsOf(tenant, account.id()));
		data.put("signIns", latestSignIns(tenant, account.id(), null, EXPORTED_ACTIVITY));
		return ResponseEntity.ok()
			.contentType(MediaType.APPLICATION_JSON)
			.header(HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=\"my-data.json\"")
			.header(HttpHeaders.CACHE_CONTROL, "no-store")
			.body(this.json.writerWithDefaultPrettyPrinter().writeValueAsString(data));
	}

	/** Irreversible: after proving it is them (password, or a sign-in of the last minutes), the account is gone. */
	@PostMapping("/delete")
	String delete(@PathVariable String tenant, @RequestParam(required = false) String flow,
			@RequestParam(required = false) String csrf, @RequestParam(required = false) String currentPassword,
			Model model, HttpServletRequest request, HttpServletResponse response) {
		Tenant t = tenant(tenant);
		SsoSession session = posted(tenant, flow, csrf, request);
		Account account = this.accounts.get(tenant, session.accountId());
		boolean proven = account.hasPassword() ? this.accounts.checkPassword(tenant, account.id(), currentPassword)
				: session.authTime().isAfter(Instant.now().minus(RECENT_SIGN_IN));
		if (!proven) {
			return render(t, session, model, request, response,
					message(account.hasPassword() ? "account.deleteWrongPassword" : "account.deleteSignInAgain", request), null);
		}
		try {
			this.accounts.delete(tenant, account.id());
		}
		catch (ApiException ex) {
			return render(t, session, model, request, response, ex.getMessage(), null);
		}
		this.sessions.end(tenant, request, response);
		Locale locale = this.locales.resolveLocale(request);
		this.mailer.send(new Mail(account.email(), this.messages.getMessage("mail.deleted.subject",
				new Object[] { t.displayName() }, locale), this.messages.getMessage("mail.deleted.body",
						new Object[] { t.displayName() }, locale)));
		log.info("Account {} of tenant {} deleted by its owner", account.id(), tenant);
		return "redirect:/t/" + tenant + "/account/deleted";
	}

	@GetMapping("/deleted")
	String deleted(@PathVariable String tenant, Model model) {
		model.addAttribute("org", tenant(tenant));
		return "account/deleted";
	}

	@ExceptionHandler(ResponseStatusException.class)
	String refused(ResponseStatusException ex, Model model, HttpServletResponse response) {
		response.setStatus(ex.getStatusCode().value());
		model.addAttribute("message", "error." + (ex.getReason() == null ? "generic" : ex.getReason()));
		model.addAttribute("reference", org.slf4j.MDC.get(RequestLogFilter.REQUEST_ID));
		return "signin/error";
	}

	/**
	 * The account's latest sign-in attempts, newest first (the log reads one more, to tell whether more follow); only
	 * those on a page when {@code interactive}, else also the apps' sign-ins from the session.
	 */
	private List<SignInEvent> latestSignIns(String tenant, String accountId, Boolean interactive, int count) {
		return this.signIns.list(tenant, new SignInLog.Query(accountId, null, interactive, null, null, null, count))
			.stream()
			.limit(count)
			.toList();
	}

	private String render(Tenant tenant, SsoSession session, Model model, HttpServletRequest request,
			HttpServletResponse response, String error, String notice) {
		Account account = this.accounts.get(tenant.id(), session.accountId());
		FlowRun run = this.flows.start(tenant.id(), "account", "page", null, Map.of(), request, response);
		Map<String, Object> custom = this.attributes.valuesOf(tenant.id(), List.of(account.id()))
			.getOrDefault(account.id(), Map.of());
		Map<String, Object> builtIn = new HashMap<>();
		builtIn.put("displayName", account.displayName());
		builtIn.put("givenName", account.givenName());
		builtIn.put("surname", account.surname());
		builtIn.put("streetAddress", account.streetAddress());
		builtIn.put("city", account.city());
		builtIn.put("state", account.state());
		builtIn.put("postalCode", account.postalCode());
		builtIn.put("country", account.country());
		builtIn.put("jobTitle", account.jobTitle());
		builtIn.put("companyName", account.companyName());
		List<Map<String, Object>> fields = new ArrayList<>();
		Locale locale = this.locales.resolveLocale(request);
		UserFlow profileEdit = this.userFlows.profileEdit(tenant.id());
		for (String name : profileEdit.editableAttributes()) {
			Optional<CustomAttribute> declared = this.attributes.find(tenant.id(), name);
			Object value = declared.isPresent() ? custom.get(name) : builtIn.get(name);
			Map<String, Object> field = new HashMap<>();
			field.put("name", name);
			String override = profileEdit.text(locale, UserFlow.attributeTextKey(name));
			field.put("label", override != null ? override : declared.map(CustomAttribute::label)
				.orElseGet(() -> this.messages.getMessage("field." + name, null, name, locale)));
			field.put("control", declared.map(a -> a.inputControl().name()).orElse("textBox"));
			field.put("options", declared.map(CustomAttribute::allowedValues).orElse(null) == null ? List.of()
					: declared.get().allowedValues());
			field.put("values", value == null ? List.of() : value instanceof List<?> list
					? list.stream().map(String::valueOf).toList() : List.of(String.valueOf(value)));
			fields.add(field);
		}
		model.addAttribute("org", tenant);
		model.addAttribute("flow", run);
		model.addAttribute("account", account);
		model.addAttribute("fields", fields);
		model.addAttribute("sessions", this.sessions.sessionsOf(tenant.id(), account.id()));
		// The latest attempts that named this account, as Entra's "My Sign-Ins" shows them: its owner may spot
		// someone else's.
		// The attempts a person would have to recognise, not every app they opened with their session.
		model.addAttribute("activity", latestSignIns(tenant.id(), account.id(), true, RECENT_ACTIVITY));
		model.addAttribute("currentSession", session.id());
		model.addAttribute("apps", this.grants.appsOf(tenant.id(), account.id()));
		model.addAttribute("error", error);
		model.addAttribute("notice", notice);
		return "account/page";
	}

	private SsoSession posted(String tenant, String flow, String csrf, HttpServletRequest request) {
		this.flows.finish(this.flows.posted(tenant, flow, csrf, request));
		return this.sessions.current(tenant, request)
			.orElseThrow(() -> new ResponseStatusException(HttpStatus.UNAUTHORIZED, "flow.expired"));
	}

	private String message(String key, HttpServletRequest request) {
		return this.messages.getMessage(key, null, this.locales.resolveLocale(request));
	}

	private Tenant tenant(String id) {
		return this.tenants.find(id).orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND, "tenant"));
	}


}
