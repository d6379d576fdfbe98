package dev.foyer.admin;

import java.net.URI;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

import dev.foyer.directory.Account;
import dev.foyer.directory.Group;
import dev.foyer.directory.Groups;

@RestController
@RequestMapping("/api/v1/tenants/{tenantId}/groups")
class GroupsApi {

	private final Groups groups;

	private final AdminAccess access;

	GroupsApi(Groups groups, AdminAccess access) {
		this.groups = groups;
		this.access = access;
	}

	record GroupBody(String displayName, String description) {
	}

	record MemberBody(String userId) {
	}

	@PostMapping
	ResponseEntity<Group> create(@PathVariable String tenantId, @RequestBody GroupBody body) {
		this.access.check(tenantId, AdminAccess.Area.DIRECTORY);
		Group group = this.groups.create(tenantId, body.displayName(), body.description());
		return ResponseEntity.created(URI.create("/api/v1/tenants/" + tenantId + "/groups/" + group.id())).body(group);
	}

	@GetMapping
	Listing<Group> list(@PathVariable String tenantId) {
		this.access.check(tenantId, AdminAccess.Area.DIRECTORY);
		return new Listing<>(this.groups.list(tenantId), null);
	}

	@GetMapping("/{groupId}")
	Group get(@PathVariable String tenantId, @PathVariable String groupId) {
		this.access.check(tenantId, AdminAccess.Area.DIRECTORY);
		return this.groups.get(tenantId, groupId);
	}

	@PatchMapping("/{groupId}")
	Group update(@PathVariable String tenantId, @PathVariable String groupId, @RequestBody GroupBody body) {
		this.access.check(tenantId, AdminAccess.Area.DIRECTORY);
		return this.groups.update(tenantId, groupId, body.displayName(), body.description());
	}

	@DeleteMapping("/{groupId}")
	@ResponseStatus(HttpStatus.NO_CONTENT)
	void delete(@PathVariable String tenantId, @PathVariable String groupId) {
		this.access.check(tenantId, AdminAccess.Area.DIRECTORY);
		this.groups.delete(tenantId, groupId);
	}

	@GetMapping("/{groupId}/members")
	Listing<Account> members(@PathVariable String tenantId, @PathVariable String groupId) {
		this.access.check(tenantId, AdminAccess.Area.DIRECTORY);
		return new Listing<>(this.groups.members(tenantId, groupId), null);
	}

	@PostMapping("/{groupId}/members")
	@ResponseStatus(HttpStatus.NO_CONTENT)
	void addMember(@PathVariable String tenantId, @PathVariable String groupId, @RequestBody MemberBody body) {
		this.access.check(tenantId, AdminAccess.Area.DIRECTORY);
		this.groups.addMember(tenantId, groupId, body.userId());
	}

	@DeleteMapping("/{groupId}/members/{userId}")
	@ResponseStatus(HttpStatus.NO_CONTENT)
	void removeMember(@PathVariable String tenantId, @PathVariable String groupId, @PathVariable String userId) {
		this.access.check(tenantId, AdminAccess.Area.DIRECTORY);
		this.groups.removeMember(tenantId, groupId, userId);
	}

}
