/*
 * The fleet page's script. No build step, no library: served as is by the responder (GET /page/app.js) under a CSP
 * that allows only this file. Every event field is untrusted text: it reaches the page only through textContent,
 * createTextNode and setAttribute on data-* attributes, never as HTML.
 *
 * What it does: asks GET /api/me (401: the sign-in form), then polls GET /api/events every "Refresh" ms and draws
 * the fleet; filters live in the URL's query (type, status, rg, vm); "Approve now" posts
 * /api/events/{id}/approve with X-Requested-With: fleet-page after a confirmation naming the VMs it releases.
 *
 * Stable hooks (tests and anyone scripting the page rely on these):
 *   #signin-view, #signin-form, #signin-error        the sign-in form (shown when the API answers 401)
 *   #fleet-view                                       the fleet (shown when signed in)
 *   #user                                             who is signed in
 *   #heard                                            "Updated N s ago"; class "stale" after 3 missed refreshes
 *   #filter-type, #filter-status, #filter-rg, #filter-vm, #filter-clear
 *   #timeline .tl-row[data-event-id]                  one row per event in the next 24 h; class "many" for
 *                                                     an event affecting MANY_VMS or more
 *   #upcoming .event[data-event-id]                   upcoming and in-progress events, soonest first
 *   #recent, #recent-list .event[data-event-id]       completed and canceled events (folded)
 *   .event .event-type, .event-status, .countdown, .event-id, .meaning, .description, .sources
 *   .event .vm-row[data-vm] (.vm-name with .vm-scale-set, .vm-rg, .vm-sub, .vm-status); over VM_FOLD_OVER
 *                                                     VMs only the first VM_ROWS are shown (those the filters
 *                                                     match first),
 *   .event button.vm-fold                             the rest behind this button ("Show all N VMs" / "Show fewer")
 *   .event .approval (class approved | failed | refused | none), .event button.approve
 *   #approve-dialog, #approve-vms, #approve-confirm, #approve-cancel, #approve-result (class = the Outcome)
 */
"use strict";

(function () {
  const MANY_VMS = 5;
  const DAY_MS = 24 * 3600 * 1000;
  const RECENT_MAX = 50;
  // an event on a whole scale set or availability set: its first rows, the rest behind "Show all" (never just 1-2)
  const VM_ROWS = 8;
  const VM_FOLD_OVER = VM_ROWS + 2;
  const TYPES = ["Freeze", "Reboot", "Redeploy", "Preempt", "Terminate"];
  const STATUSES = ["Scheduled", "Started", "Completed", "Canceled"];
  const MEANING = {
    Freeze: "The VM is paused for a few seconds, memory kept (e.g. a host update or live migration). Connections may stall.",
    Reboot: "The VM restarts. Memory is lost; disks are kept.",
    Redeploy: "The VM moves to another host and restarts. Memory and the temporary disk are lost.",
    Preempt: "The Spot VM is evicted: deallocated or deleted.",
    Terminate: "The VM (a scale set instance) is deleted."
  };
  const FILTERS = { type: "filter-type", status: "filter-status", rg: "filter-rg", vm: "filter-vm" };

  const state = {
    events: [],
    refresh: 5000,
    lastHeard: 0,
    polling: null,
    signedIn: false,
    approving: null,
    lastAnswer: null,
    unfolded: new Set()
  };

  const $ = (id) => document.getElementById(id);

  /** An element with a class and text; the text is always text. */
  function el(tag, className, text) {
    const e = document.createElement(tag);
    if (className) {
      e.className = className;
    }
    if (text !== undefined && text !== null) {
      e.textContent = String(text);
    }
    return e;
  }

  function str(v) {
    return v === undefined || v === null ? "" : String(v);
  }

  function clear(node) {
    while (node.firstChild) {
      node.removeChild(node.firstChild);
    }
  }

  // ---- time ---------------------------------------------------------------------------------------------------

  function instant(iso) {
    if (!iso) {
      return null;
    }
    const t = Date.parse(iso);
    return Number.isNaN(t) ? null : t;
  }

  function two(n) {
    return n < 10 ? "0" + n : String(n);
  }

  /** 3 d 4 h, 1 h 05 min 12 s, 4 min 09 s, 12 s */
  function span(ms) {
    let s = Math.floor(Math.abs(ms) / 1000);
    const d = Math.floor(s / 86400);
    s -= d * 86400;
    const h = Math.floor(s / 3600);
    s -= h * 3600;
    const m = Math.floor(s / 60);
    s -= m * 60;
    if (d > 0) {
      return d + " d " + h + " h";
    }
    if (h > 0) {
      return h + " h " + two(m) + " min " + two(s) + " s";
    }
    if (m > 0) {
      return m + " min " + two(s) + " s";
    }
    return s + " s";
  }

  function localTime(t) {
    const d = new Date(t);
    return d.toLocaleString([], { weekday: "short", day: "numeric", month: "short", hour: "2-digit", minute: "2-digit" });
  }

  function clock(t) {
    const d = new Date(t);
    return d.toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" });
  }

  /** An hour for the timeline's axis, short: "5 PM" or "17:00" as the browser's locale writes it. */
  function hour(t) {
    return new Date(t).toLocaleTimeString([], { hour: "numeric" });
  }

  function utc(t) {
    return new Date(t).toISOString().replace("T", " ").replace(/:\d\d\.\d+Z$/, " UTC");
  }

  function duration(seconds) {
    if (typeof seconds !== "number" || seconds < 0) {
      return "duration not given";
    }
    if (seconds < 60) {
      return "about " + seconds + " s";
    }
    return "about " + span(seconds * 1000).replace(/ 00 s$/, "");
  }

  /** The countdown's words for an event now. */
  function countdown(ev, now) {
    const start = instant(ev.NotBeforeUtc);
    if (ev.EventStatus === "Started") {
      return start === null ? "in progress" : "in progress, started " + span(now - start) + " ago";
    }
    if (ev.EventStatus === "Completed" || ev.EventStatus === "Canceled") {
      return "";
    }
    if (start === null) {
      return "time not given";
    }
    return start > now ? "starts in " + span(start - now) : "due since " + span(now - start) + ", may start any moment";
  }

  // ---- filters, kept in the URL ----------------------------------------------------------------------------

  function readFilters() {
    const q = new URLSearchParams(window.location.search);
    const f = {};
    for (const k of Object.keys(FILTERS)) {
      f[k] = q.get(k) || "";
    }
    return f;
  }

  function writeFilters(f) {
    const q = new URLSearchParams(window.location.search);
    for (const k of Object.keys(FILTERS)) {
      if (f[k]) {
        q.set(k, f[k]);
      } else {
        q.delete(k);
      }
    }
    q.delete("signin");
    const s = q.toString();
    window.history.replaceState(null, "", window.location.pathname + (s ? "?" + s : ""));
  }

  function currentFilters() {
    const f = {};
    for (const [k, id] of Object.entries(FILTERS)) {
      f[k] = $(id).value.trim();
    }
    return f;
  }

  function matches(ev, f) {
    const vms = Array.isArray(ev.Vms) ? ev.Vms : [];
    if (f.type && str(ev.EventType).toLowerCase() !== f.type.toLowerCase()) {
      return false;
    }
    if (f.status && str(ev.EventStatus).toLowerCase() !== f.status.toLowerCase()) {
      return false;
    }
    if (f.rg && !vms.some((v) => str(v.ResourceGroup).toLowerCase() === f.rg.toLowerCase())) {
      return false;
    }
    if (f.vm && !vms.some((v) => str(v.Name).toLowerCase().includes(f.vm.toLowerCase()))) {
      return false;
    }
    return true;
  }

  /** A select's options: the fixed ones, those the data has, and the one in the URL (so it survives a reload). */
  function fillSelect(select, known, wanted) {
    const values = [];
    for (const v of known.concat(wanted ? [wanted] : [])) {
      if (v && !values.some((x) => x.toLowerCase() === v.toLowerCase())) {
        values.push(v);
      }
    }
    const first = select.options[0];
    clear(select);
    select.appendChild(first);
    for (const v of values) {
      const o = el("option", null, v);
      o.value = v;
      select.appendChild(o);
    }
    const match = values.find((x) => x.toLowerCase() === str(wanted).toLowerCase());
    select.value = match || "";
  }

  function fillFilters(f) {
    const types = TYPES.slice();
    const groups = [];
    for (const ev of state.events) {
      if (ev.EventType && !types.includes(ev.EventType)) {
        types.push(ev.EventType);
      }
      for (const vm of Array.isArray(ev.Vms) ? ev.Vms : []) {
        if (vm.ResourceGroup) {
          groups.push(vm.ResourceGroup);
        }
      }
    }
    groups.sort((a, b) => a.localeCompare(b));
    fillSelect($("filter-type"), types, f.type);
    fillSelect($("filter-status"), STATUSES, f.status);
    fillSelect($("filter-rg"), groups, f.rg);
    if (document.activeElement !== $("filter-vm")) {
      $("filter-vm").value = f.vm;
    }
  }

  function bindFilters() {
    const changed = () => {
      const f = currentFilters();
      writeFilters(f);
      render();
    };
    for (const id of Object.values(FILTERS)) {
      $(id).addEventListener(id === "filter-vm" ? "input" : "change", changed);
    }
    $("filter-clear").addEventListener("click", () => {
      for (const id of Object.values(FILTERS)) {
        $(id).value = "";
      }
      changed();
    });
  }

  // ---- drawing --------------------------------------------------------------------------------------------

  function isLive(ev) {
    return ev.EventStatus !== "Completed" && ev.EventStatus !== "Canceled";
  }

  function soonestFirst(a, b) {
    const ta = instant(a.NotBeforeUtc);
    const tb = instant(b.NotBeforeUtc);
    if (ta !== tb) {
      if (ta === null) {
        return 1;
      }
      if (tb === null) {
        return -1;
      }
      return ta - tb;
    }
    return str(a.EventId).localeCompare(str(b.EventId));
  }

  function latestFirst(a, b) {
    return (instant(b.LastSeen) || 0) - (instant(a.LastSeen) || 0);
  }

  function statusClass(status) {
    const s = str(status).toLowerCase();
    return STATUSES.map((x) => x.toLowerCase()).includes(s) ? "st-" + s : "st-other";
  }

  function render() {
    const f = readFilters();
    fillFilters(f);
    $("filter-clear").hidden = !Object.values(f).some((v) => v);
    const shown = state.events.filter((ev) => matches(ev, f));
    const live = shown.filter(isLive).sort(soonestFirst);
    const done = shown.filter((ev) => !isLive(ev)).sort(latestFirst).slice(0, RECENT_MAX);
    const now = Date.now();

    const upcoming = $("upcoming");
    clear(upcoming);
    for (const ev of live) {
      upcoming.appendChild(eventCard(ev, now, f));
    }
    if (live.length === 0) {
      upcoming.appendChild(el("p", "empty", state.events.some(isLive)
        ? "No upcoming event matches the filters."
        : "Nothing scheduled. This page updates by itself."));
    }
    const vmCount = new Set();
    for (const ev of live) {
      for (const vm of Array.isArray(ev.Vms) ? ev.Vms : []) {
        vmCount.add(str(vm.ResourceId || vm.Name).toLowerCase());
      }
    }
    $("upcoming-count").textContent = live.length + (live.length === 1 ? " event, " : " events, ")
      + vmCount.size + (vmCount.size === 1 ? " VM" : " VMs");

    const recent = $("recent-list");
    clear(recent);
    for (const ev of done) {
      recent.appendChild(eventCard(ev, now, f));
    }
    if (done.length === 0) {
      recent.appendChild(el("p", "empty", "None."));
    }
    $("recent-count").textContent = String(done.length);

    timeline(live, now);
  }

  function badge(className, text) {
    return el("span", "badge " + className, text);
  }

  function eventCard(ev, now, f) {
    const vms = Array.isArray(ev.Vms) ? ev.Vms : [];
    const card = el("article", "card event " + statusClass(ev.EventStatus) + (vms.length >= MANY_VMS ? " many" : ""));
    card.setAttribute("data-event-id", str(ev.EventId));

    const head = el("div", "event-head");
    const title = el("div", "event-title");
    title.appendChild(badge("event-type type-" + str(ev.EventType).toLowerCase().replace(/[^a-z]/g, ""),
      str(ev.EventType) || "Unknown type"));
    title.appendChild(badge("event-status " + statusClass(ev.EventStatus), str(ev.EventStatus) || "Unknown"));
    if (vms.length >= MANY_VMS) {
      title.appendChild(badge("many-vms", vms.length + " VMs at once"));
    }
    head.appendChild(title);
    const cd = el("span", "countdown", countdown(ev, now));
    cd.setAttribute("data-not-before", str(ev.NotBeforeUtc));
    cd.setAttribute("data-status", str(ev.EventStatus));
    head.appendChild(cd);
    card.appendChild(head);

    card.appendChild(el("p", "meaning", MEANING[ev.EventType] || "Azure did not say what this type means for the VM."));

    const facts = el("dl", "facts");
    const fact = (label, value, className) => {
      const wrap = el("div", "fact" + (className ? " " + className : ""));
      wrap.appendChild(el("dt", null, label));
      const dd = el("dd", className ? className + "-value" : null);
      if (value instanceof Node) {
        dd.appendChild(value);
      } else {
        dd.textContent = value;
      }
      wrap.appendChild(dd);
      facts.appendChild(wrap);
      return dd;
    };
    const start = instant(ev.NotBeforeUtc);
    const when = fact("Not before", start === null ? "not given" : localTime(start));
    if (start !== null) {
      when.title = utc(start);
    }
    fact("Expected to last", duration(ev.DurationInSeconds));
    fact("Sources", (Array.isArray(ev.Sources) ? ev.Sources : []).map(str).join(", ") || "none", "sources");
    const reported = Array.isArray(ev.ReportedBy) ? ev.ReportedBy.length : 0;
    fact("Agents reporting", reported + " of " + vms.length + (vms.length === 1 ? " VM" : " VMs"));
    fact("Event id", str(ev.EventId), "event-id");
    card.appendChild(facts);

    if (ev.Description) {
      card.appendChild(el("p", "description", str(ev.Description)));
    }

    card.appendChild(vmTable(ev, vms, f));
    card.appendChild(approval(ev));
    return card;
  }

  /** Whether a VM is one the resource group or VM name filter asks for (shown before the others). */
  function wanted(vm, f) {
    return Boolean((f.rg && str(vm.ResourceGroup).toLowerCase() === f.rg.toLowerCase())
      || (f.vm && str(vm.Name).toLowerCase().includes(f.vm.toLowerCase())));
  }

  function vmTable(ev, allVms, f) {
    // stable: the filters' VMs first, then the rest in the API's order
    const vms = allVms.filter((vm) => wanted(vm, f)).concat(allVms.filter((vm) => !wanted(vm, f)));
    const key = str(ev.EventId).toLowerCase();
    const foldable = vms.length > VM_FOLD_OVER;
    const rows = [];
    const wrap = el("div", "vms");
    const table = el("table", "vm-table");
    const thead = el("thead");
    const hr = el("tr");
    for (const h of ["VM", "Resource group", "Subscription", "Its agent says"]) {
      hr.appendChild(el("th", null, h));
    }
    thead.appendChild(hr);
    table.appendChild(thead);
    const body = el("tbody");
    for (const vm of vms) {
      const tr = el("tr", "vm-row");
      tr.setAttribute("data-vm", str(vm.Name));
      const name = el("td", "vm-name", str(vm.Name) || "(no name)");
      name.setAttribute("data-label", "VM");
      if (vm.ResourceId) {
        name.title = str(vm.ResourceId);
      }
      if (vm.ScaleSetId) {
        // the platform reported it through its scale set: an approval goes to the scale set
        const set = el("span", "vm-scale-set muted", "scale set " + str(vm.ScaleSetId).split("/").pop());
        set.title = str(vm.ScaleSetId);
        name.appendChild(set);
      }
      tr.appendChild(name);
      const rg = el("td", "vm-rg", str(vm.ResourceGroup) || "-");
      rg.setAttribute("data-label", "Resource group");
      tr.appendChild(rg);
      const sub = el("td", "vm-sub", str(vm.SubscriptionId) || "-");
      sub.setAttribute("data-label", "Subscription");
      tr.appendChild(sub);
      const st = el("td", "vm-status");
      st.setAttribute("data-label", "Its agent says");
      if (vm.Status) {
        st.appendChild(badge("small " + statusClass(vm.Status), str(vm.Status)));
        const at = instant(vm.ReportedAt);
        if (at !== null) {
          st.appendChild(el("span", "muted at", " at " + clock(at)));
        }
      } else {
        st.appendChild(el("span", "muted", "no agent report"));
      }
      tr.appendChild(st);
      body.appendChild(tr);
      rows.push(tr);
    }
    table.appendChild(body);
    wrap.appendChild(table);
    if (!foldable) {
      return wrap;
    }
    const button = el("button", "ghost vm-fold");
    button.type = "button";
    const fold = (open) => {
      rows.forEach((tr, i) => {
        tr.hidden = !open && i >= VM_ROWS;
      });
      button.textContent = open ? "Show fewer" : "Show all " + vms.length + " VMs";
      button.setAttribute("aria-expanded", String(open));
    };
    // kept through redraws: the page draws the events again whenever the data changes
    fold(state.unfolded.has(key));
    button.addEventListener("click", () => {
      const open = !state.unfolded.has(key);
      if (open) {
        state.unfolded.add(key);
      } else {
        state.unfolded.delete(key);
      }
      fold(open);
    });
    const outer = el("div", "vms-folded");
    outer.appendChild(wrap);
    outer.appendChild(button);
    return outer;
  }

  function approval(ev) {
    const a = ev.Approval;
    const outcome = a && a.Outcome ? str(a.Outcome) : "none";
    const box = el("div", "approval " + (["approved", "failed", "refused"].includes(outcome) ? outcome : "none"));
    const text = el("span", "approval-text");
    if (outcome === "approved") {
      text.textContent = "Approved by " + (str(a.By) || "someone") + (instant(a.At) !== null ? " at " + localTime(instant(a.At)) : "");
    } else if (outcome === "failed" || outcome === "refused") {
      text.textContent = "Approval " + outcome + (a.By ? " (" + str(a.By) + ")" : "") + ": " + str(a.Message);
    } else if (ev.EventStatus === "Scheduled") {
      text.textContent = "Not approved: Azure starts it at its time.";
    } else if (ev.EventStatus === "Started") {
      text.textContent = "Started: nothing left to approve.";
    } else {
      text.textContent = "Not approved from here.";
    }
    box.appendChild(text);
    if (ev.EventStatus === "Scheduled" && outcome !== "approved") {
      const button = el("button", "approve primary", "Approve now");
      button.type = "button";
      button.addEventListener("click", () => askApproval(ev));
      box.appendChild(button);
    }
    return box;
  }

  function timeline(live, now) {
    const box = $("timeline");
    clear(box);
    const end = now + DAY_MS;
    const axis = el("div", "tl-axis");
    axis.appendChild(el("span", "tl-label-col"));
    const ticks = el("div", "tl-track tl-ticks");
    for (let h = 0; h <= 24; h += 3) {
      const tick = el("span", "tl-tick", h === 0 ? "now" : hour(now + h * 3600 * 1000));
      tick.style.left = (h / 24 * 100) + "%";
      ticks.appendChild(tick);
    }
    axis.appendChild(ticks);
    box.appendChild(axis);

    let later = 0;
    let drawn = 0;
    for (const ev of live) {
      const start = instant(ev.NotBeforeUtc);
      if (start === null || start > end) {
        later++;
        continue;
      }
      const vms = Array.isArray(ev.Vms) ? ev.Vms : [];
      const row = el("div", "tl-row " + statusClass(ev.EventStatus) + (vms.length >= MANY_VMS ? " many" : ""));
      row.setAttribute("data-event-id", str(ev.EventId));
      const label = el("span", "tl-label-col tl-label");
      label.appendChild(el("strong", null, str(ev.EventType)));
      label.appendChild(document.createTextNode(" " + (vms.length === 1 ? str(vms[0].Name) : vms.length + " VMs")));
      row.appendChild(label);
      const track = el("div", "tl-track");
      const bar = el("span", "tl-bar");
      const from = Math.max(start, now);
      const known = typeof ev.DurationInSeconds === "number" && ev.DurationInSeconds >= 0;
      const until = known ? Math.max(start + ev.DurationInSeconds * 1000, from) : from;
      bar.style.left = ((from - now) / DAY_MS * 100) + "%";
      bar.style.width = (Math.min(until, end) - from) / DAY_MS * 100 + "%";
      if (!known) {
        bar.classList.add("unknown");
      }
      bar.title = str(ev.EventType) + " " + str(ev.EventStatus) + ", " + localTime(start) + ", "
        + duration(ev.DurationInSeconds) + ", " + vms.length + (vms.length === 1 ? " VM" : " VMs");
      track.appendChild(bar);
      row.appendChild(track);
      row.addEventListener("click", () => {
        const card = document.querySelector("#upcoming .event[data-event-id=\"" + CSS.escape(str(ev.EventId)) + "\"]");
        if (card) {
          card.scrollIntoView({ behavior: "smooth", block: "start" });
        }
      });
      box.appendChild(row);
      drawn++;
    }
    if (drawn === 0) {
      box.appendChild(el("p", "empty", "Nothing starts in the next 24 hours."));
    }
    if (later > 0) {
      box.appendChild(el("p", "muted tl-later", later + (later === 1 ? " event starts" : " events start")
        + " later or at a time not given."));
    }
  }

  /** Every second: the countdowns and "updated N s ago". */
  function tick() {
    const now = Date.now();
    for (const cd of document.querySelectorAll(".countdown")) {
      cd.textContent = countdown({ NotBeforeUtc: cd.getAttribute("data-not-before"), EventStatus: cd.getAttribute("data-status") }, now);
    }
    const heard = $("heard");
    if (!state.signedIn) {
      return;
    }
    heard.hidden = false;
    if (state.lastHeard === 0) {
      heard.textContent = "Connecting…";
      return;
    }
    const ago = now - state.lastHeard;
    const stale = ago > 3 * state.refresh;
    heard.classList.toggle("stale", stale);
    heard.textContent = stale ? "No answer for " + span(ago) + ": this may be out of date"
      : "Updated " + span(ago) + " ago";
  }

  // ---- talking to the responder -------------------------------------------------------------------------------

  function showSignIn() {
    state.signedIn = false;
    state.events = [];
    state.lastAnswer = null;
    if (state.polling) {
      clearTimeout(state.polling);
      state.polling = null;
    }
    // nothing of the fleet stays in the page
    clear($("upcoming"));
    clear($("recent-list"));
    clear($("timeline"));
    $("fleet-view").hidden = true;
    $("user").hidden = true;
    $("heard").hidden = true;
    $("signout").hidden = true;
    $("signin-view").hidden = false;
    const failed = new URLSearchParams(window.location.search).get("signin") === "failed";
    $("signin-error").hidden = !failed;
    if (failed) {
      writeFilters(readFilters());
    }
    // the filters of a shared link survive signing in: the server sends the browser back to them
    $("signin-back").value = window.location.search;
    $("signin-name").focus();
  }

  function showFleet(me) {
    state.signedIn = true;
    if (typeof me.Refresh === "number" && me.Refresh >= 500) {
      state.refresh = me.Refresh;
    }
    $("signin-view").hidden = true;
    $("fleet-view").hidden = false;
    $("user").textContent = "Signed in as " + str(me.User);
    $("user").hidden = false;
    $("signout").hidden = false;
  }

  async function poll() {
    state.polling = null;
    try {
      const r = await fetch("/api/events?limit=1000", { cache: "no-store", credentials: "same-origin" });
      if (r.status === 401) {
        showSignIn();
        return;
      }
      if (r.ok) {
        const text = await r.text();
        state.lastHeard = Date.now();
        // the same answer again: the page stays as it is (a selection, a hover, an open row are kept)
        if (text !== state.lastAnswer) {
          const data = JSON.parse(text);
          state.events = Array.isArray(data.events) ? data.events : [];
          state.lastAnswer = text;
          render();
        }
      }
    } catch (e) {
      // unreachable: the "updated" line turns stale after three refreshes
    }
    tick();
    if (state.signedIn) {
      state.polling = setTimeout(poll, state.refresh);
    }
  }

  function askApproval(ev) {
    const dialog = $("approve-dialog");
    state.approving = ev;
    const vms = Array.isArray(ev.Vms) ? ev.Vms : [];
    $("approve-title").textContent = "Approve " + (str(ev.EventType) || "this event") + " now?";
    const what = $("approve-what");
    clear(what);
    what.appendChild(document.createTextNode("This releases event "));
    what.appendChild(el("code", null, str(ev.EventId)));
    what.appendChild(document.createTextNode(" on " + vms.length + (vms.length === 1 ? " VM:" : " VMs:")));
    const list = $("approve-vms");
    clear(list);
    for (const vm of vms) {
      const li = el("li", null, str(vm.Name));
      if (vm.ResourceGroup) {
        li.appendChild(el("span", "muted", " " + str(vm.ResourceGroup)));
      }
      list.appendChild(li);
    }
    const result = $("approve-result");
    result.hidden = true;
    result.className = "result";
    result.textContent = "";
    $("approve-confirm").hidden = false;
    $("approve-confirm").disabled = false;
    $("approve-cancel").textContent = "Cancel";
    if (typeof dialog.showModal === "function") {
      dialog.showModal();
    } else {
      dialog.setAttribute("open", "");
    }
  }

  async function approve() {
    const ev = state.approving;
    if (!ev) {
      return;
    }
    const confirm = $("approve-confirm");
    const result = $("approve-result");
    confirm.disabled = true;
    result.hidden = false;
    result.className = "result pending";
    result.textContent = "Asking Azure…";
    let outcome = "failed";
    let message;
    try {
      const r = await fetch("/api/events/" + encodeURIComponent(str(ev.EventId)) + "/approve", {
        method: "POST",
        headers: { "X-Requested-With": "fleet-page" },
        credentials: "same-origin",
        cache: "no-store"
      });
      if (r.status === 401) {
        message = "Your sign-in has ended: sign in again.";
      } else {
        let answer = null;
        try {
          answer = await r.json();
        } catch (e) {
          answer = null;
        }
        if (answer && typeof answer === "object") {
          outcome = str(answer.Outcome) || (r.ok ? "approved" : "failed");
          message = str(answer.Message);
          if (answer.Event && typeof answer.Event === "object") {
            const i = state.events.findIndex((x) => str(x.EventId).toLowerCase() === str(ev.EventId).toLowerCase());
            if (i >= 0) {
              state.events[i] = Object.assign({}, state.events[i], answer.Event, { History: undefined });
            }
          }
        } else {
          message = "The responder answered " + r.status + ".";
        }
      }
    } catch (e) {
      message = "The responder did not answer.";
    }
    result.className = "result " + (["approved", "failed", "refused"].includes(outcome) ? outcome : "failed");
    result.textContent = message || outcome;
    confirm.hidden = true;
    $("approve-cancel").textContent = "Close";
    render();
  }

  function closeDialog() {
    const dialog = $("approve-dialog");
    state.approving = null;
    if (typeof dialog.close === "function" && dialog.open) {
      dialog.close();
    } else {
      dialog.removeAttribute("open");
    }
  }

  async function start() {
    bindFilters();
    fillFilters(readFilters());
    $("approve-confirm").addEventListener("click", approve);
    $("approve-cancel").addEventListener("click", closeDialog);
    setInterval(tick, 1000);
    let me = null;
    try {
      const r = await fetch("/api/me", { cache: "no-store", credentials: "same-origin" });
      if (r.ok) {
        me = await r.json();
      }
    } catch (e) {
      me = null;
    }
    if (!me) {
      showSignIn();
      return;
    }
    showFleet(me);
    poll();
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
