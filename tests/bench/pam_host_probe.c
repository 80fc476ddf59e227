// SPDX-License-Identifier: Apache-2.0
/* pam_host_probe: a minimal PAM host for bench_login, one process per sample,
 * as sshd runs one process per connection. It is C and links only libpam and
 * libc, as sshd and sudo do, so what a module brings into the host (libstdc++
 * and the rest) is measured, not hidden by a C++ host that has it already.
 * It measures itself and prints one line of key=value pairs:
 *
 *   pam_host_probe dlopen MODULE                  dlopen(RTLD_NOW) alone
 *   pam_host_probe pam_start SERVICE CONFDIR      pam_start_confdir + pam_end
 *   pam_host_probe login SERVICE CONFDIR USER     one whole login
 *   pam_host_probe logins SERVICE CONFDIR USER N  N logins in this process
 *
 * The conversation answers every prompt with an empty line (Enter) at once.
 * Exit status 0 when every call returned PAM_SUCCESS. */
#define _GNU_SOURCE
#include <security/pam_appl.h>

#include <dlfcn.h>
#include <link.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

int pam_start_confdir(const char *service, const char *user, const struct pam_conv *conv, const char *confdir,
                      pam_handle_t **pamh);

static double now_ms(void) {
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (double)now.tv_sec * 1e3 + (double)now.tv_nsec / 1e6;
}

static double cpu_ms(int who) {
    struct rusage usage;
    getrusage(who, &usage);
    return (double)(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) * 1e3 +
           (double)(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e3;
}

static long resident_kib(void) {
    long pages = 0;
    long resident = 0;
    FILE *statm = fopen("/proc/self/statm", "r");
    if (statm == NULL) return -1;
    if (fscanf(statm, "%ld %ld", &pages, &resident) != 2) resident = -1;
    fclose(statm);
    return resident < 0 ? -1 : resident * (sysconf(_SC_PAGESIZE) / 1024);
}

/* VmHWM: the peak resident set of this process since its exec. (ru_maxrss
 * would carry the peak of the process that forked us over the exec.) */
static long peak_resident_kib(void) {
    char line[256];
    long peak = -1;
    FILE *status = fopen("/proc/self/status", "r");
    if (status == NULL) return -1;
    while (fgets(line, sizeof line, status) != NULL) {
        if (strncmp(line, "VmHWM:", 6) == 0) peak = atol(line + 6);
    }
    fclose(status);
    return peak;
}

/* The shared objects in this process, by dl_iterate_phdr: not the executable
 * (empty name), not the vDSO (no file). */
enum { kMaxObjects = 128 };
struct Objects {
    int count;
    char names[kMaxObjects][256];
};

static int add_object(struct dl_phdr_info *info, size_t size, void *data) {
    struct Objects *objects = data;
    (void)size;
    if (info->dlpi_name == NULL || info->dlpi_name[0] == '\0' || strstr(info->dlpi_name, "linux-vdso") != NULL) {
        return 0;
    }
    if (objects->count < kMaxObjects) {
        snprintf(objects->names[objects->count], sizeof objects->names[0], "%s", info->dlpi_name);
        ++objects->count;
    }
    return 0;
}

static void list_objects(struct Objects *objects) {
    objects->count = 0;
    dl_iterate_phdr(add_object, objects);
}

static int has_object(const struct Objects *objects, const char *name) {
    for (int i = 0; i < objects->count; ++i) {
        if (strcmp(objects->names[i], name) == 0) return 1;
    }
    return 0;
}

/* objects_added=3 added=a.so,b.so,c.so objects_after=9 */
static void print_added(const struct Objects *before, const struct Objects *after) {
    int added = 0;
    for (int i = 0; i < after->count; ++i) added += !has_object(before, after->names[i]);
    printf(" objects_added=%d objects_after=%d added=", added, after->count);
    const char *separator = "";
    for (int i = 0; i < after->count; ++i) {
        if (has_object(before, after->names[i])) continue;
        const char *slash = strrchr(after->names[i], '/');
        printf("%s%s", separator, slash != NULL ? slash + 1 : after->names[i]);
        separator = ",";
    }
}

static int measure_dlopen(const char *module) {
    static struct Objects before;
    static struct Objects after;
    list_objects(&before);
    const long rss_before = resident_kib();
    const double start = now_ms();
    void *handle = dlopen(module, RTLD_NOW | RTLD_LOCAL);
    const double took = now_ms() - start;
    const long rss_after = resident_kib();
    if (handle == NULL) {
        printf("status=1 error=%s\n", dlerror());
        return 1;
    }
    list_objects(&after);
    printf("status=0 dlopen_ms=%.3f rss_growth_kib=%ld", took, rss_after - rss_before);
    print_added(&before, &after);
    printf("\n");
    return 0;
}

static int measure_pam_start(const char *service, const char *confdir) {
    static struct Objects before;
    static struct Objects after;
    struct pam_conv conversation = {NULL, NULL};
    pam_handle_t *pamh = NULL;
    list_objects(&before);
    const long rss_before = resident_kib();
    const double start = now_ms();
    int status = pam_start_confdir(service, "nobody", &conversation, confdir, &pamh);
    const double started = now_ms();
    const long rss_started = resident_kib();
    list_objects(&after);
    if (status == PAM_SUCCESS) status = pam_end(pamh, PAM_SUCCESS);
    const double ended = now_ms();
    printf("status=%d pam_start_ms=%.3f pam_start_end_ms=%.3f rss_growth_kib=%ld", status, started - start,
           ended - start, rss_started - rss_before);
    print_added(&before, &after);
    printf("\n");
    return status == PAM_SUCCESS ? 0 : 1;
}

/* Answers each prompt with Enter and notes when it did. */
struct Answers {
    int prompts;
    double last_answer_ms;
};

static int enter_conversation(int count, const struct pam_message **messages, struct pam_response **responses,
                              void *data) {
    struct Answers *answers = data;
    struct pam_response *replies = calloc((size_t)count, sizeof *replies);
    if (replies == NULL) return PAM_BUF_ERR;
    int prompted = 0;
    for (int i = 0; i < count; ++i) {
        const int style = messages[i]->msg_style;
        if (style != PAM_PROMPT_ECHO_ON && style != PAM_PROMPT_ECHO_OFF) continue;
        replies[i].resp = strdup("");
        prompted = 1;
    }
    *responses = replies;
    if (prompted) {
        ++answers->prompts;
        answers->last_answer_ms = now_ms();
    }
    return PAM_SUCCESS;
}

struct Login {
    struct Answers answers;
    double start_cpu_ms; /* CPU time of pam_start_confdir: loading the stack */
    double result_ms;    /* when pam_authenticate returned */
};

static int login(const char *service, const char *confdir, const char *user, struct Login *login) {
    struct pam_conv conversation = {enter_conversation, &login->answers};
    pam_handle_t *pamh = NULL;
    const double cpu_start = cpu_ms(RUSAGE_SELF);
    int status = pam_start_confdir(service, user, &conversation, confdir, &pamh);
    login->start_cpu_ms = cpu_ms(RUSAGE_SELF) - cpu_start;
    if (status != PAM_SUCCESS) return status;
    status = pam_authenticate(pamh, 0);
    login->result_ms = now_ms();
    pam_end(pamh, status);
    return status;
}

static int measure_login(const char *service, const char *confdir, const char *user) {
    struct Login one = {{0, 0.0}, 0.0, 0.0};
    const double cpu_start = cpu_ms(RUSAGE_SELF);
    const double start = now_ms();
    const int status = login(service, confdir, user, &one);
    const double wall = now_ms() - start;
    const double cpu = cpu_ms(RUSAGE_SELF) - cpu_start;
    printf(
        "status=%d wall_ms=%.3f host_cpu_ms=%.3f start_cpu_ms=%.3f process_cpu_ms=%.3f children_cpu_ms=%.3f "
        "peak_rss_kib=%ld prompts=%d result_mono_ms=%.3f",
        status, wall, cpu, one.start_cpu_ms, cpu_ms(RUSAGE_SELF), cpu_ms(RUSAGE_CHILDREN), peak_resident_kib(),
        one.answers.prompts, one.result_ms);
    if (one.answers.prompts > 0) printf(" enter_to_result_ms=%.3f", one.result_ms - one.answers.last_answer_ms);
    printf("\n");
    return status == PAM_SUCCESS ? 0 : 1;
}

/* Resident memory after the first and after the last of `count` logins: a
 * module that leaks per login grows the host here. */
static int measure_logins(const char *service, const char *confdir, const char *user, int count) {
    long after_first = -1;
    int failed = 0;
    for (int i = 0; i < count; ++i) {
        struct Login one = {{0, 0.0}, 0.0, 0.0};
        failed += login(service, confdir, user, &one) != PAM_SUCCESS;
        if (i == 0) after_first = resident_kib();
    }
    printf("status=%d logins=%d failed=%d rss_after_first_kib=%ld rss_after_last_kib=%ld\n", failed > 0, count, failed,
           after_first, resident_kib());
    return failed > 0;
}

int main(int argc, char **argv) {
    if (argc == 3 && strcmp(argv[1], "dlopen") == 0) return measure_dlopen(argv[2]);
    if (argc == 4 && strcmp(argv[1], "pam_start") == 0) return measure_pam_start(argv[2], argv[3]);
    if (argc == 5 && strcmp(argv[1], "login") == 0) return measure_login(argv[2], argv[3], argv[4]);
    if (argc == 6 && strcmp(argv[1], "logins") == 0) return measure_logins(argv[2], argv[3], argv[4], atoi(argv[5]));
    fprintf(stderr,
            "usage: pam_host_probe dlopen MODULE | pam_start SERVICE CONFDIR | login SERVICE CONFDIR USER"
            " | logins SERVICE CONFDIR USER N\n");
    return 2;
}
