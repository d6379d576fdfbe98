package dev.foyer.admin;

import java.net.URI;
import java.util.List;
import java.util.Map;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

import dev.foyer.directory.Account;
import dev.foyer.directory.Accounts;
import dev.foyer.directory.Group;
import dev.foyer.directory.Groups;
import dev.foyer.directory.Page;

@RestController
@RequestMapping("/api/v1/tenants/{tenantId}/users")
class UsersApi {

	private final Accounts accounts;

	private final Groups groups;

	private final AdminAccess access;

	UsersApi(Accounts accounts, Groups groups, AdminAccess access) {
		this.accounts = accounts;
		this.groups = groups;
		this.access = access;
	}

	/** The body of POST and PATCH. On PATCH an absent field stays as it is and "" clears an attribute. */
	record UserBody(String email, String password, String accountType, Boolean accountEnabled, Boolean emailVerified,
			String displayName, String givenName, String surname, String streetAddress, String city, String state,
			String postalCode, String country, String jobTitle, String companyName, Map<String, Object> attributes) {

		Accounts.Profile profile() {
			return new Accounts.Profile(this.displayName, this.givenName, this.surname, this.streetAddress, this.city,
					this.state, this.postalCode, this.country, this.jobTitle, this.companyName);
		}

	}

	@PostMapping
	ResponseEntity<Account> create(@PathVariable String tenantId, @RequestBody UserBody body) {
		this.access.check(tenantId, AdminAccess.Area.DIRECTORY);
		Account created = this.accounts.create(tenantId, new Accounts.NewAccount(body.email(), body.password(),
				body.accountType(), body.accountEnabled(), body.emailVerified(), body.profile(), body.attributes()));
		return ResponseEntity.created(URI.create("/api/v1/tenants/" + tenantId + "/users/" + created.id())).body(created);
	}

	@GetMapping
	Listing<Account> search(@PathVariable String tenantId, @RequestParam(required = false) String search,
			@RequestParam(required = false) String cursor, @RequestParam(required = false) Integer limit) {
		this.access.check(tenantId, AdminAccess.Area.DIRECTORY);
		Page<Account> page = this.accounts.search(tenantId, search, cursor, limit);
		return new Listing<>(page.items(), page.nextCursor());
	}

	@GetMapping("/{userId}")
	Account get(@PathVariable String tenantId, @PathVariable String userId) {
		this.access.check(tenantId, AdminAccess.Area.DIRECTORY);
		return this.accounts.get(tenantId, userId);
	}

	@PatchMapping("/{userId}")
	Account update(@PathVariable String tenantId, @PathVariable String userId, @RequestBody UserBody body) {
		this.access.check(tenantId, AdminAccess.Area.DIRECTORY);
		this.access.checkCanManage(tenantId, userId);
		if (body.accountType() != null) {
			throw dev.foyer.web.ApiException.invalid("accountType", "cannot be changed; create a new account instead");
		}
		return this.accounts.update(tenantId, userId, new Accounts.AccountChanges(body.email(), body.password(),
				body.accountEnabled(), body.emailVerified(), body.profile(), body.attributes()));
	}

	@DeleteMapping("/{userId}")
	@ResponseStatus(HttpStatus.NO_CONTENT)
	void delete(@PathVariable String tenantId, @PathVariable String userId) {
		this.access.check(tenantId, AdminAccess.Area.DIRECTORY);
		this.access.checkCanManage(tenantId, userId);
		this.accounts.delete(tenantId, userId);
	}

	@GetMapping("/{userId}/groups")
	Listing<Group> groupsOf(@PathVariable String tenantId, @PathVariable String userId) {
		this.access.check(tenantId, AdminAccess.Area.DIRECTORY);
		List<Group> found = this.groups.groupsOf(tenantId, userId);
		return new Listing<>(found, null);
	}

}
