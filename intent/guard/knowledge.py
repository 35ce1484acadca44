"""The read-only knowledge: for each utility, the subcommands and options that only read.

Positive evidence is data. An entry is a subcommand path (`stash list`, `s3 ls`, `config view`)
or an option that makes the whole command a query (`pacman -Q`, `dpkg -l`, `ulimit -a`). A
command whose leading words match an entry is `safe` (or `network` for tools that talk to a
server); a deleting verb anywhere in the path (`delete`, `rm`, `destroy`, `uninstall`, ...) is
`destructive`; anything else falls back to the utility's own rule, which fails closed.
`tests/guard/test_knowledge.py` checks every entry against the installed man page.
"""

from __future__ import annotations

import re
from typing import Final

# fmt: off
_RAW: Final[dict[str, str]] = {
    "git": """status log diff show blame grep rev-parse describe shortlog ls-files ls-tree
        cat-file whatchanged help version rev-list for-each-ref count-objects merge-base name-rev
        show-ref show-branch var check-ignore check-attr cherry range-diff diff-tree diff-index
        diff-files verify-commit verify-tag annotate fsck check-ref-format check-mailmap
        get-tar-commit-id ls-remote unpack-file verify-pack show-index mktree;stash list;
        stash show;remote -v;remote show;remote get-url;worktree list;notes list;notes show;
        submodule status;submodule summary;branch --list;branch -a;branch -r;branch -v;
        branch -vv;branch --merged;branch --no-merged;branch --contains;branch --show-current;
        tag -l;tag --list;tag --contains;tag --points-at;reflog show;config --get;
        config --get-all;config --get-regexp;config --list;config -l;config --show-origin;
        bisect log;bisect visualize;bundle verify;
        bundle list-heads;sparse-checkout list""",
    "docker": """ps images logs inspect version info top stats events history port diff search
        image ls;image list;image inspect;image history;container ls;container list;
        container inspect;container logs;container top;container stats;container port;
        container diff;volume ls;volume list;volume inspect;network ls;network list;
        network inspect;context ls;context list;context inspect;context show;system df;
        system info;system events;compose ps;compose ls;compose logs;compose config;
        compose images;compose top;compose version;compose port;compose events;buildx ls;
        buildx version;buildx inspect;buildx du;manifest inspect;node ls;node inspect;node ps;
        service ls;service ps;service inspect;service logs;stack ls;stack ps;stack services;
        secret ls;secret inspect;config ls;config inspect;plugin ls;plugin inspect;
        trust inspect;scout version;builder ls;builder du""",
    "podman": """ps images logs inspect version info top stats events history port diff search
        image ls;image list;image inspect;image history;image tree;
        container ls;container list;container inspect;container logs;container top;
        container diff;container port;volume ls;volume inspect;network ls;network inspect;
        pod ps;pod ls;pod inspect;pod top;pod stats;pod logs;system df;system info;
        system connection list;machine list;machine info;machine inspect;secret ls;
        secret inspect;generate kube;unshare --help""",
    "kubectl": """get describe logs version explain top api-resources api-versions cluster-info
        events;config view;config get-contexts;config current-context;config get-clusters;
        config get-users;auth can-i;auth whoami;rollout status;rollout history;top pods;
        top nodes;top pod;top node;cluster-info dump;certificate --help;plugin list;
        kustomize;completion;options;wait;diff""",
    "helm": """list ls status history version env lint template verify search;get all;
        get values;get manifest;get notes;get hooks;get metadata;show all;show chart;
        show values;show readme;show crds;inspect all;inspect chart;inspect values;
        inspect readme;search repo;search hub;repo list;repo ls;dependency list;dep list;
        plugin list;plugin ls;registry --help""",
    "gh": """status --help;api *;pr list;pr view;pr status;pr checks;pr diff;issue list;
        issue view;issue status;repo view;repo list;run list;run view;run watch;workflow list;
        workflow view;release list;release view;release download --help;auth status;
        auth token --help;search repos;search issues;search prs;search code;search commits;
        gist list;gist view;label list;secret list;variable list;variable get;cache list;
        ruleset list;ruleset view;ruleset check;org list;ssh-key list;gpg-key list;
        extension list;ext list;codespace list;project list;project view;project field-list;
        project item-list;alias list;config get;config list;attestation verify;
        api --help""",
    "aws": """--version;s3 ls;s3 presign;sts get-caller-identity;sts get-session-token;
        sts get-access-key-info;configure list;configure get;configure list-profiles;
        logs tail;logs describe-log-groups;logs describe-log-streams;logs filter-log-events;
        logs get-log-events;ec2 describe-instances;ec2 describe-images;ec2 describe-volumes;
        ec2 describe-vpcs;ec2 describe-subnets;ec2 describe-security-groups;
        ec2 describe-regions;ec2 describe-availability-zones;ec2 describe-key-pairs;
        ec2 describe-snapshots;ec2 describe-addresses;ec2 describe-network-interfaces;
        ec2 describe-route-tables;ec2 describe-instance-types;ec2 describe-instance-status;
        ec2 describe-tags;ec2 describe-launch-templates;s3api list-buckets;
        s3api list-objects;s3api list-objects-v2;s3api head-object;s3api head-bucket;
        s3api get-bucket-location;s3api get-bucket-policy;s3api get-bucket-versioning;
        s3api get-object-tagging;s3api list-object-versions;iam list-users;iam list-roles;
        iam list-groups;iam list-policies;iam get-user;iam get-role;iam get-policy;
        iam list-access-keys;iam list-attached-role-policies;iam list-attached-user-policies;
        iam get-account-summary;lambda list-functions;lambda get-function;
        lambda get-function-configuration;lambda list-layers;lambda list-aliases;
        lambda list-versions-by-function;rds describe-db-instances;rds describe-db-clusters;
        rds describe-db-snapshots;dynamodb list-tables;dynamodb describe-table;
        dynamodb scan;dynamodb query;dynamodb get-item;ecs list-clusters;ecs list-services;
        ecs list-tasks;ecs describe-services;ecs describe-tasks;ecs describe-clusters;
        ecr describe-repositories;ecr describe-images;ecr list-images;eks list-clusters;
        eks describe-cluster;eks list-nodegroups;cloudformation list-stacks;
        cloudformation describe-stacks;cloudformation describe-stack-events;
        cloudformation describe-stack-resources;cloudformation get-template;
        cloudwatch list-metrics;cloudwatch get-metric-statistics;cloudwatch describe-alarms;
        route53 list-hosted-zones;route53 list-resource-record-sets;sns list-topics;
        sns list-subscriptions;sqs list-queues;sqs get-queue-attributes;
        secretsmanager list-secrets;secretsmanager describe-secret;ssm describe-parameters;
        ssm describe-instance-information;kms list-keys;kms describe-key;kms list-aliases;
        elbv2 describe-load-balancers;elbv2 describe-target-groups;
        elbv2 describe-target-health;autoscaling describe-auto-scaling-groups;
        cloudtrail lookup-events;organizations list-accounts;
        organizations describe-organization;pricing get-products;ce get-cost-and-usage;
        acm list-certificates;acm describe-certificate;apigateway get-rest-apis;
        elasticache describe-cache-clusters;efs describe-file-systems;kinesis list-streams;
        kinesis describe-stream;glue get-databases;glue get-tables;athena list-work-groups;
        sagemaker list-endpoints;cloudfront list-distributions;
        cloudfront get-distribution;ssm get-parameters-by-path;account get-contact-information""",
    "gcloud": """version info help;config list;config get-value;config get;
        config configurations list;config configurations describe;auth list;
        auth print-identity-token --help;projects list;projects describe;
        projects get-iam-policy;compute instances list;compute instances describe;
        compute zones list;compute regions list;compute images list;compute disks list;
        compute networks list;compute firewall-rules list;compute addresses list;
        compute machine-types list;compute snapshots list;compute operations list;
        container clusters list;container clusters describe;container images list;
        container node-pools list;run services list;run services describe;
        run revisions list;functions list;functions describe;functions logs read;
        sql instances list;sql instances describe;sql databases list;storage ls;
        storage buckets list;storage buckets describe;storage objects list;
        storage objects describe;iam service-accounts list;iam roles list;
        iam roles describe;logging read;logging logs list;services list;
        app describe;app services list;app versions list;pubsub topics list;
        pubsub subscriptions list;secrets list;secrets describe;secrets versions list;
        components list;billing accounts list;organizations list;dns managed-zones list;
        dns record-sets list;artifacts repositories list;builds list;builds describe""",
    "gsutil": "ls du stat cat version help hash;acl get;iam get;versioning get;lifecycle get",
    "az": """version find;account show;account list;account list-locations;group list;group show;
        vm list;vm show;vm list-sizes;vm get-instance-view;storage account list;
        storage account show;storage container list;storage blob list;storage blob show;
        aks list;aks show;aks get-versions;webapp list;webapp show;functionapp list;
        network vnet list;network nsg list;network public-ip list;keyvault list;
        keyvault secret list;sql server list;sql db list;acr list;acr repository list;
        ad user list;ad signed-in-user show;role assignment list;resource list;
        monitor activity-log list;extension list;config get""",
    "doctl": """version;account get;compute droplet list;compute droplet get;
        compute region list;compute size list;compute image list;kubernetes cluster list;
        kubernetes cluster get;apps list;apps get;databases list;databases get;
        registry get;projects list;balance get;invoice list""",
    "cargo": """version tree metadata search pkgid locate-project verify-project read-manifest
        help --version --list -V""",
    "rustup": """show which --version;toolchain list;target list;component list;
        show active-toolchain;show home;show profile;doc --path""",
    "go": "version env list doc help;mod graph;mod why;mod verify;tool --help",
    "conda": """list info search --version -V;env list;env export;config --show;
        config --show-sources;config --get;package --which;compare --help""",
    "mamba": "list info search --version;env list;repoquery search;repoquery depends",
    "poetry": """show check search about --version;env info;env list;
        config --list;debug info;source show;self show;export --help""",
    "pip": """list show freeze check --version -V help debug;index versions;config list;
        config get;config debug;cache dir;cache info;cache list;inspect;download --help""",
    "pip3": "list show freeze check --version -V help debug;config list;cache dir;inspect",
    "pipx": "list --version environment;runpip --help",
    "uv": """--version help;pip list;pip show;pip freeze;pip check;pip tree;
        python list;python find;python dir;tool list;tool dir;cache dir""",
    "npm": """ls list ll la view info show outdated search help doctor --version -v
        explain why prefix root bin fund query ping whoami;config list;config get;cache ls;cache verify;access list;owner ls;
        dist-tag ls;team ls;org ls;token list;profile get""",
    "yarn": """list info why outdated --version -v versions licenses help bin;
        config list;config get;cache list;cache dir;workspaces info;workspaces list""",
    "pnpm": "list ls why outdated --version -v root bin licenses;store path;store status",
    "gem": "list search info query contents dependency environment --version which specification",
    "bundle": "list show info outdated check version platform --help",
    "composer": "show info depends why why-not outdated licenses validate diagnose --version",
    "brew": """list ls info search outdated deps uses leaves config doctor --version --prefix
        --cellar --cache --repository desc commands shellenv tap-info log cat
        formulae casks;services list;services info""",
    "apt": "list search show --version",
    "getconf": "-a;*",
    "lxc": """list info version;image list;image info;network list;network info;storage list;
        storage info;profile list;profile show;config show;remote list;cluster list""",
    "incus": """list info version;image list;image info;network list;network info;
        storage list;storage info;profile list;profile show;config show;remote list""",
    "crictl": "ps images pods info version stats statsp logs inspect inspecti inspectp",
    "nerdctl": "ps images version info inspect logs stats top port history;image ls",
    "ctr": "version;images ls;image ls;containers ls;container ls;tasks ls;task ls",
    "aplay": "-l -L --list-devices --list-pcms",
    "arecord": "-l -L --list-devices --list-pcms",
    "bsdtar": "-t --list",
    "apt-cache": """search show showpkg policy depends rdepends pkgnames stats dump dumpavail
        madison showsrc unmet --help""",
    "apt-mark": "showauto showmanual showhold showinstall showremove showpurge",
    "dnf": """list info search provides repolist repoquery check-update deplist
        --version help;history list;history info;module list;group list""",
    "yum": "list info search provides repolist deplist check-update --version help;history list",
    "zypper": "search se info if list-updates lu repos lr patches packages products --version",
    "pacman": "-Q -Qi -Ql -Qs -Qo -Qe -Qm -Qdt -Qk -Ss -Si -Sl -Sg -Fl -Fo -Fs -Fx -V --version",
    "dpkg": """-l -L -s -S -p -c -I --list --listfiles --status --search --print-avail
        --contents --info --get-selections --print-architecture
        --print-foreign-architectures --compare-versions --verify --audit --version""",
    "dpkg-query": "-l -L -s -S -W -p --list --listfiles --status --search --show --showformat",
    "rpm": """-q -qa -qi -ql -qf -qc -qd -qR -qp --query --queryformat --whatprovides
        --whatrequires -V --verify --version --showrc --eval""",
    "snap": "list info find version connections services changes change interfaces aliases known",
    "flatpak": "list info search remotes remote-ls history ps --version documents permissions",
    "systemctl": """status list-units list-unit-files list-sockets list-timers list-dependencies
        list-jobs list-machines list-automounts show cat is-active is-enabled
        is-failed is-system-running get-default show-environment --version help""",
    "loginctl": """list-sessions list-users list-seats show-session show-user show-seat
        session-status user-status seat-status""",
    "journalctl": "--list-boots --disk-usage --verify --header --list-catalog --field --fields",
    "localectl": "status list-locales list-keymaps list-x11-keymap-models list-x11-keymap-layouts",
    "timedatectl": "status show list-timezones timesync-status show-timesync",
    "hostnamectl": "status",
    "resolvectl": "status query statistics monitor show-cache show-server-state service openpgp tlsa",
    "networkctl": "list status lldp label cat",
    "busctl": "list status tree introspect monitor capture get-property --help",
    "udevadm": "info monitor --version;info --query;info --export-db",
    "bootctl": "status list is-installed",
    "coredumpctl": "list info",
    "machinectl": "list list-images status show image-status show-image",
    "nmcli": """--version;general$;general status;general permissions;device$;device status;
        device show;device wifi list;connection$;connection show;monitor;radio$;
        networking connectivity;d$;c$;dev$;con$;con show;dev status;dev show""",
    "firewall-cmd": """--state --list-all --list-services --list-ports --get-zones
        --get-default-zone --get-active-zones --list-all-zones --get-services --query-service""",
    "ufw": "status;app list",
    "tmux": """ls list-sessions list-windows list-panes list-clients list-keys list-buffers
        list-commands has-session show-options show-buffer show-environment
        show-messages display-message info -V""",
    "screen": "-ls -list --version -v",
    "iw": """list --version;dev$;phy$;reg get;dev * link;dev * info;dev * station dump;
        dev * scan dump;dev * get power_save;phy * info;phy * channels;event""",
    "ip": """-V;a$;addr$;address$;l$;link$;r$;route$;n$;neigh$;neighbour$;rule$;maddr$;
        maddress$;mroute$;tunnel$;netns$;netconf$;ntable$;tcp_metrics$;token$;monitor;
        a show;addr show;address show;addr list;link show;link list;route show;route get;
        route list;r show;neigh show;neighbour show;rule show;rule list;netns list;
        netns identify;netconf show;vrf show;mroute show;tunnel show;maddr show;
        ntable show;stats show;xfrm state list;xfrm policy list;-6 route$;-4 route$""",
    "bluetoothctl": "show list devices paired-devices info version",
    "zpool": "list status iostat history get events version",
    "zfs": "list get version holds",
    "btrfs": "version;filesystem show;filesystem df;filesystem usage;subvolume list;subvolume show;device stats;scrub status;qgroup show",
    "virsh": "list dominfo domstate domblklist domiflist net-list pool-list vol-list nodeinfo version capabilities dumpxml",
    "vagrant": "status global-status version ssh-config;box list;plugin list",
    "minikube": "status version ip;profile list;service list;addons list",
    "kind": "version;get clusters;get nodes;get kubeconfig",
    "terraform": "version show output validate graph;providers$;fmt -check;state list;state show;workspace list;workspace show",
    "pulumi": "version about whoami;stack ls;stack output;stack history;config$",
    "ansible": "--version --list-hosts",
    "ansible-inventory": "--list --graph --host",
    "openssl": """version ciphers verify dgst list speed errstr help;x509 -noout;crl -noout;
        rsa -noout;asn1parse -noout;pkey -noout;ec -noout""",
    "ssh-add": "-l -L -T",
    "ssh-keygen": "-l -F -B -y",
    "gpg": """--list-keys -k --list-secret-keys -K --fingerprint --version --list-sigs
        --check-sigs --verify --list-packets --show-keys --list-config --dump-options""",
    "swapon": "--show -s --summary",
    "7z": "l t i h",
    "7za": "l t i h",
    "unrar": "l lt lb v vt t",
    "gzip": "-l -t --list --test",
    "xz": "-l -t --list --test --robot",
    "zstd": "-l -t --list --test",
    "bzip2": "-t --test",
    "unzip": "-l -v -t -Z -z -p",
    "convert": "-version -list",
    "magick": "identify -version;-version",
    "ffmpeg": "-version -formats -codecs -encoders -decoders -filters -protocols -buildconf",
    "java": "-version --version",
    "node": "--version -v",
    "python3": "--version -V",
    "lvs": "$;-a -o --units", "vgs": "$;-a -o --units", "pvs": "$;-a -o --units",
    "mdadm": "--detail --examine --query -D -E -Q",
    "smartctl": "-a -i -H -A -x -l --all --info --health --attributes --scan",
    "nvme": "list id-ctrl id-ns smart-log error-log list-subsys version",
    "efibootmgr": "-v",
    "mokutil": "--sb-state --list-enrolled",
    "dmidecode": "-t -s --type --string -q",
    "lshw": "-short -json -class -businfo",
    "upower": "-d -e -i --dump --enumerate",
    "xrandr": "$;-q --query --listmonitors --listproviders --listactivemonitors",
    "pactl": "list info stat;list sinks;list sources;get-default-sink",
    "wpctl": "status inspect get-volume",
    "cpupower": "frequency-info idle-info info monitor",
    "sensors": "-u -A -j",
    "lvm": "version lvs vgs pvs",
    "pkg-config": "--modversion --cflags --libs --list-all --exists --variable",
    "rclone": "version ls lsd lsl lsf listremotes size about;config show;config file",
    "kubectx": "-c --current",
    "kubens": "-c --current",
    "k3s": "--version",
    "stty": "$;-a -g --all --save;size$;speed$",
    "systemd-cgls": "$;--all -a -l --full -k -u --user-unit --no-pager",
    "systemd-cgtop": "$;-n -b -d -1 --iterations --batch --delay",
    "dstat": "$;-c -d -n -m -s -t -y -a -f --top-cpu --top-mem",
    "glances": "$;--version -V",
    "nvtop": "$;-v --version",
    "pinky": "$;-l -b -h -p -s -f -w -i -q",
    "finger": "$;-l -s -m -p",
    "pr": "$;-d -t -n -h -l -w -m -T --columns --double-space --omit-header --length --width",
    "tsort": "$",
    "units": "$;-t -v --terse --verbose --list",
    "iftop": "$;-i -n -N -P -B -t -s -p",
    "nethogs": "$;-t -c -d -v -a",
    "tcpdump": "-i -c -n -nn -v -vv -vvv -X -XX -A -e -D -r -q -s -l -t -tttt -S --list-interfaces --version",
    "pmap": "$;-x -X -d -q -p -A",
    "delta": "$;--side-by-side -s --line-numbers -n --navigate --dark --light",
    "highlight": "$;-O -S --syntax -l --line-numbers --out-format --style -s",
    "pygmentize": "$;-l -g -f -L -N -O -P -S -a",
    "mimetype": "$;-b -d -a -L -M --brief --describe --all",
    "exif": "$;-i -l -m -x --ids --list-tags --machine-readable --xml-output",
    "lz4cat": "$",
    "zstdcat": "$",
    "acpi": "$;-b -a -t -c -V -i -s -f -p --battery --ac-adapter --thermal --cooling --everything --details",
    "hdparm": "-I -i -g -C",
    "xdpyinfo": "$;-queryExtensions -ext",
    "glxinfo": "$;-B -l -s -t -v -i",
    "vulkaninfo": "$;--summary --json",
    "wmctrl": "-l -d -m",
    "xprop": "-root",
    "xwininfo": "-root -tree -children -stats",
    "lsinitramfs": "$;-l",
    "dkms": "status",
    "aa-status": "$;--enabled --profiled --enforced --complaining",
    "sestatus": "$;-v -b",
    "getenforce": "$",
    "auditctl": "-l -s",
    "ausearch": "-m -ts -te -k -i -c -p -ui",
    "aureport": "$;-au -l -x -f -k -m --summary",
    "journalctl-list": "$",
    "free-m": "$",
    "modinfo": "$;-F -d -n -a -l -p --field --description --filename --author --license --parameters",
    "mount": "$;-l;--show-labels",
    "findmnt": "$;-l -D -J -P -r -n -o -t -s -m -k -a -A -R -S -T -M -u -b -e --list --df --json --pairs --raw --noheadings --output --types --fstab --mtab --kernel --all --source --target --mountpoint --real --pseudo",
    "lsns": "$;-J -l -n -o -p -t -r -u -T --json --list --noheadings --output --task --type --raw --notruncate --tree",
    "lslocks": "$;-J -b -i -n -o -p -r -u --json --bytes --noinaccessible --noheadings --output --pid --raw --notruncate",
    "sar": "$;-A -B -b -d -F -H -h -I -n -P -q -r -S -u -v -W -w -y -f -s -e -i",
    "pidstat": "$;-d -h -I -l -R -r -s -t -U -u -v -w -p -C -G -H",
    "arp": "$;-a -e -n -v -i -H --numeric --verbose --device",
    "ethtool": "$;-i -S -k -a -c -g -l -m -T -P --driver --statistics --show-features --show-pause --show-coalesce --show-ring --show-channels --module-info --show-time-stamping --show-permaddr --show-eee --show-fec --show-priv-flags",
    "identify": "$;-verbose -format -ping -quiet -list -version",
    "exiftool": "$;-a -s -G -j -csv -json -short -groupNames -ver -list -X -n -b -S",
    "ffprobe": "$;-v -i -show_format -show_streams -print_format -of -loglevel -hide_banner -select_streams -show_entries -show_frames -show_packets -show_chapters -count_frames -version",
    "iostat": "$;-c -d -h -k -m -N -t -x -y -z -p",
    "vnstat": "$;-d -h -m -y -t -5 -l --days --hours --months --json --oneline",
    "chage": "-l --list",
    "quota": "$;-s -v -u -g",
    "lastlog": "$;-u -b -t",
    "faillock": "$;--user",
    "getfacl": "$;-a -d -c -e -E -s -R -L -P -t -n -p",
    "getcap": "$;-r -v",
    "namei": "$;-l -m -o -v -n -x",
    "lsipc": "$;-m -q -s -g -J -l",
    "lsirq": "$;-J -n -o -P -s",
    "lsfd": "$;-J -l -n -o -p -Q",
    "lscpu": "$;-a -b -c -e -J -p -s -x -y",
    "lsmem": "$;-a -b -J -n -o -P -r -S",
    "hwclock": "-r --show --get -v",
    "showmount": "-e -a -d",
    "lsof": "$;-i -n -P -p -u -t -c",
    "numastat": "$;-m -n -p -c -s -v",
    "ipcs": "$;-a -m -q -s -l -u -t -p -c",
    "tc": "-s;qdisc show;class show;filter show;-s qdisc$;qdisc$",
    "bridge": "link$;fdb$;vlan$;link show;fdb show;vlan show;mdb show",
    "wg": "show showconf$;show",
    "iwconfig": "$",
    "iwlist": """scan$;* scan;* scanning;* freq;* channel;* rate;* bitrate;* key;* power;
        * txpower;* retry;* event;* auth;* wpa""",
    "ufw-status": "$",
    "nft": "list;list ruleset;list tables;list table;list chains;-a list",
    "iptables": "-L -S -n -v --list --list-rules --line-numbers -t -x",
    "ip6tables": "-L -S -n -v --list --list-rules --line-numbers -t -x",
    "iptables-save": "$;-t -c",
    "ulimit": "$;-a -H -S -c -d -e -f -i -l -m -n -p -q -r -s -t -u -v -x",
    "umask": "$;-S -p",
    "powerprofilesctl": "get list",
    "fwupdmgr": "get-devices get-updates get-history --version",
    "snapper": "list list-configs",
    "timeshift": "--list",
    "dnf5": "list info search repolist",
    "apk": "info search list policy version stats --version",
    "emerge": "--search --info --version -s -S -p",
    "equery": "list files belongs depends uses",
    "xbps-query": "-l -s -S -f -x -X",
    "nix": "--version;search;eval;show-config;path-info;flake show;flake metadata;profile list",
    "nix-env": "-q --query",
    "guix": "--version;search;show;package --list-installed",
    "port": "installed list search info deps contents outdated echo version",
    "mas": "list search info outdated version",
    "choco": "list search info outdated --version",
    "winget": "list search show --version",
    "scoop": "list search info status",
    "asdf": "current list version info;list all;plugin list",
    "mise": "list ls current version doctor which where env;plugins ls",
    "nvm": "ls list current version ls-remote which --version",
    "pyenv": "versions version version-name which whence root prefix --version",
    "rbenv": "versions version which whence root --version",
    "sdk": "list current version",
    "jenv": "versions version which",
    "volta": "list which --version",
    "fnm": "list ls current --version",
    "deno": "--version info types",
    "bun": "--version;pm ls;pm cache",
    "dotnet": "--info --version --list-sdks --list-runtimes",
    "mvn": "--version -v",
    "gradle": "--version -v",
    "swift": "--version",
    "php": "--version -v -m -i --ini --info",
    "ruby": "--version -v",
    "perl": "--version -v -V",
    "lua": "-v",
    "R": "--version",
    "julia": "--version",
    "ghc": "--version --numeric-version --info",
    "stack": "--version ls path query;ls dependencies",
    "cabal": "--version list info",
    "opam": "list show var --version;switch list;config list",
    "elixir": "--version",
    "erl": "-version",
    "zig": "version env targets",
    "nasm": "-v",
    "cmake": "--version --help",
    "make": "--version",
    "ninja": "--version -t -n",
    "meson": "--version introspect",
    "bazel": "version help",
    "clang": "--version -v -print-search-dirs -dumpversion -print-targets",
    "gcc": "--version -v -dumpversion -dumpmachine -print-search-dirs -print-multiarch",
    "ld": "--version -v",
    "rustc": "--version -V -vV --print",
    "javac": "-version --version",
    "kotlin": "-version",
    "scala": "-version",
    "tsc": "--version -v --noEmit --showConfig",
    "eslint": "--version",
    "prettier": "--version",
    "black": "--version --check --diff",
    "ruff": "version --version rule linter",
    "flake8": "--version",
    "mypy": "--version",
    "pylint": "--version",
    "shellcheck": "$;-V --version -f -s -S -x -a -C -e -i",
    "hadolint": "$;-v --version",
    "yamllint": "$;-v --version -f -s -c",
    "jsonlint": "$",
    "xmllint": "--noout --version --format --xpath --valid",
    "tidy": "-q -e -errors --version",
    "pandoc": "--version --list-input-formats --list-output-formats --list-extensions",
    "pdftotext": "-v",
    "pdffonts": "$",
    "pdfimages": "-list",
    "qpdf": "--version --check --show-npages --json",
    "sox": "--version --info",
    "soxi": "$",
    "mediainfo": "$;--Full -f --Output --version",
    "mpv": "--version --list-options",
    "vlc": "--version",
    "gm": "identify version",
    "optipng": "-v -simulate",
    "gifsicle": "--info -I --version",
    "tesseract": "--version --list-langs",
    "espeak": "--version",
    "lsb_release": "$;-a -d -c -i -r -s --all --short",
    "hostnamectl-status": "$",
    "inxi": "$;-F -b -C -D -G -I -M -N -S -m -r -x -xx -z",
    "neofetch": "$",
    "fastfetch": "$",
    "screenfetch": "$",
    "dust": "$;-d -n -r -s -b -x",
    "duf": "$;-json --json -only -hide",
    "ncdu": "-v --version",
    "btop": "--version",
    "htop": "--version",
    "iotop": "-b -o -n",
    "bmon": "-o",
    "speedtest": "--version --list",
    "speedtest-cli": "--version --list --simple --json --csv",
    "nload": "-t",
    "tshark": "-D -r -v --version",
    "ngrep": "-V",
    "arping": "-c",
    "fping": "-c -a -g -q",
    "nmap": "-sn -sL -V --version -p -sV -sT -O -Pn -n -v",
    "masscan": "--version",
    "certbot": "certificates --version",
    "keytool": "-list -printcert -v",
    "step": "version;certificate inspect",
    "cfssl": "certinfo version",
    "age": "--version",
    "pass": "ls list show find grep version",
    "op": "--version whoami;account list;item list;vault list",
    "bw": "status list --version",
    "vault": "status version read list;kv list;kv get;token lookup;secrets list;auth list;policy list",
    "consul": "members info version catalog services;kv get;catalog nodes;catalog services",
    "nomad": "status version;job status;node status",
    "etcdctl": "get version;member list;endpoint health;endpoint status",
    "psql": "--version -l --list -V",
    "mysql": "--version -V",
    "mongosh": "--version",
    "influx": "version ping",
    "supervisorctl": "status avail pid version",
    "pm2": "list ls status show describe logs monit jlist info",
    "launchctl": "list print blame print-disabled version",
    "diskutil": "list info activity listFilesystems;apfs list",
    "system_profiler": "$;SPHardwareDataType SPSoftwareDataType SPStorageDataType SPNetworkDataType SPDisplaysDataType SPUSBDataType SPPowerDataType -listDataTypes -json -detailLevel",
    "sw_vers": "$;-productName -productVersion -buildVersion",
    "defaults": "read read-type domains find help",
    "scutil": "--get --dns --proxy --nwi -r",
    "networksetup": "-listallnetworkservices -listallhardwareports -getinfo -getdnsservers -getairportnetwork -getcurrentlocation -listlocations",
    "pmset": "-g",
    "csrutil": "status",
    "spctl": "--status -a --assess",
    "codesign": "-d -v --verify --display",
    "otool": "-L -l -h -t -v -V",
    "mdfind": "$;-name -onlyin -count",
    "mdls": "$;-name -raw",
    "xcode-select": "-p --print-path -v --version",
    "xcrun": "--show-sdk-path --show-sdk-version --find",
    "plutil": "-p -lint",
    "security": "find-certificate find-identity list-keychains show-keychain-info dump-trust-settings",
    "ioreg": "-l -p -r -c -n -w",
    "vm_stat": "$",
    "wsl": "--list -l --status --version -v",
    "who": "$",

    "redis-cli": "ping info dbsize --version monitor",
    "sqlite3": "-version",
}
# fmt: on

# commands of these only talk to a server to read: at least `network`
_NETWORKED = frozenset(
    "aws gcloud gsutil az doctl gh pulumi rclone vault consul nomad etcdctl op bw".split()
)

# a verb that deletes: `aws s3 rm`, `gcloud ... delete`, `helm uninstall`, `terraform destroy`
DELETING = re.compile(
    r"^(rm|rb|rmi|del|delete|delete-\S+|\S+-delete|destroy|terminate\S*|remove|remove-\S+|"
    r"uninstall|purge|autoremove|erase|deregister\S*|drop|drop-\S+|prune|wipe|nuke|flush\S*|"
    r"truncate|reset|unregister|evict|drain|kill|down|undeploy|revoke|disable)$",
    re.I,
)
_DELETING_TOOLS = frozenset(
    """aws gcloud gsutil az doctl gh helm kubectl terraform pulumi heroku flyctl vercel
    firebase oci linode-cli hcloud scw ibmcloud exo vultr-cli openstack conda mamba poetry
    cargo pip pip3 pipx uv npm yarn pnpm gem brew snap flatpak apt apt-get dnf yum zypper
    rustup docker podman virsh vagrant minikube kind zpool zfs lvm mysqladmin""".split()
)
# options that delete, per tool
_DELETING_OPTIONS: Final[dict[str, re.Pattern[str]]] = {
    "pacman": re.compile(r"^-R\w*$|^--remove$"),
    "dpkg": re.compile(r"^(-r|-P|--remove|--purge)$"),
    "rpm": re.compile(r"^(-e|--erase)$"),
    "terraform": re.compile(r"^-destroy$"),
    "gh": re.compile(r"^(-X|--method)=?(DELETE)?$"),
}
# options that send a tool's credentials elsewhere or load code: never read-only
_DENIED = re.compile(
    r"^(--server|-s|--kubeconfig|--token|--as|--as-group|--certificate-authority|"
    r"--endpoint-url|--endpoint|-H|--host|--config|--context-dir|--plugins|"
    r"--post-renderer|--exec|--output-file|--output-dir|--output-document|--log-file|"
    r"--save|--write|-w|-u|--file|-out|-keyout|-engine|-writerand|--output-directory|"
    r"-provider|-provider-path|-propquery|-config|"
    r"--set|--add|--append|--prepend|--remove-key|--write-default|--clear)(=.*)?$"
)
# per tool: `gh api` is a GET unless it is given a method, fields or a body
_DENIED_EXTRA: Final[dict[str, re.Pattern[str]]] = {
    "gh": re.compile(r"^(-X|--method|-f|-F|--field|--raw-field|--input|--web)(=.*)?$"),
    # a tmux format `#(cmd)` runs cmd
    "tmux": re.compile(r".*#\("),
    "kubectl": re.compile(r"^--enable-(exec|alpha-plugins|helm)"),
    "conda": re.compile(r"^(-f|--file)(=.*)?$"),
    **{
        n: re.compile(r"^(--registry|--userconfig|--globalconfig|--prefix)(=.*)?$")
        for n in ("npm", "yarn", "pnpm")
    },
}
_DENIED_FOR = frozenset("kubectl helm aws docker podman gh go conda openssl".split())


def _entries(text: str) -> frozenset[str]:
    """The first `;` chunk is a list of single words or options; each later chunk is a path
    (`stash list`), an option that must be present (`x509 -noout`), `*` for any word, and `$`
    at the end for "nothing after it" (`ip link$`: `ip link set ...` is not read-only)."""
    chunks = text.split(";")
    out = set(chunks[0].split())
    for chunk in chunks[1:]:
        words = chunk.split()
        if words and all(w.startswith("-") for w in words) and len(words) > 1:
            out.update(words)  # a list of options
        elif words:
            out.add(" ".join(words))
    return frozenset(out)


READ_ONLY: Final[dict[str, frozenset[str]]] = {name: _entries(t) for name, t in _RAW.items()}

# option values skipped when matching a subcommand path (`kubectl -n ns get pods`)
_VALUE_OPTS: Final[dict[str, frozenset[str]]] = {
    name: frozenset(text.split())
    for name, text in {
        "kubectl": "-n --namespace --context --cluster --user -l --selector -o --output -c "
        "--container --field-selector --sort-by --since --tail -f --filename -L --label-columns",
        "helm": "-n --namespace --kube-context -o --output --revision --version",
        "gh": "-R --repo -L --limit -s --state -a --author -l --label -b --base -H --head -q "
        "--jq -t --template --json -w --workflow -B --branch -u --user -e --event",
        "aws": "--region --profile --output --query --bucket --instance-ids --filters "
        "--max-items --page-size --color --log-group-name --function-name --cluster "
        "--stack-name --table-name --key --prefix --since --format --db-instance-identifier",
        "gcloud": "--project --format --filter --zone --region --limit --sort-by --account "
        "--configuration --verbosity",
        "az": "-g --resource-group --subscription -o --output --query -n --name --location -l",
        "docker": "--context -f --filter --format --since --until -n --tail",
        "podman": "--context -f --filter --format --since --until -n --tail",
        "systemctl": "-t --type --state -p --property -n --lines -o --output -M --machine",
        "tmux": "-t -F -L -S -f",
        "nmcli": "-f --fields -g --get-values -m --mode -c --colors",
    }.items()
}
# tools whose operands, with the read-only options, are things to inspect (not outputs)
_OPERANDS_OK = frozenset(
    """ethtool findmnt lsns lslocks sar pidstat arp identify exiftool ffprobe mdadm smartctl
    lvs vgs pvs gzip xz zstd bzip2 unzip dpkg dpkg-query rpm pacman ssh-add gpg getfacl getcap
    namei iostat quota lastlog chage iptables ip6tables dmidecode nmap tcpdump tshark xmllint
    tidy qpdf soxi mediainfo gifsicle keytool codesign otool mdls mdfind plutil shellcheck
    hadolint yamllint black firewall-cmd journalctl lsof numastat ipcs showmount faillock ioreg
    xcrun spctl emerge xbps-query nix-env lsb_release inxi dust duf vnstat fping arping iotop
    iftop nethogs speedtest-cli sensors lsipc modinfo systemd-cgls pinky pr tsort units
    pmap delta highlight pygmentize mimetype exif lz4cat zstdcat hdparm tcpdump glances lsirq lsfd lscpu lsmem hwclock
    iptables-save efibootmgr upower xrandr dnf5 apk pdfimages tesseract wsl defaults scutil
    networksetup pmset system_profiler sw_vers ioreg 7z 7za unrar""".split()
)


def _compile(
    entries: frozenset[str],
) -> dict[str, tuple[tuple[tuple[str, ...], tuple[str, ...], bool], ...]]:
    """Path entries by their first word: (path, options it needs, nothing may follow)."""
    out: dict[str, list[tuple[tuple[str, ...], tuple[str, ...], bool]]] = {}
    for entry in entries:
        if entry.startswith("-") or entry == "$":
            continue
        parts = entry.rstrip("$").split()
        path = tuple(p for p in parts if not p.startswith("-"))
        need = tuple(p for p in parts if p.startswith("-"))
        out.setdefault(path[0] if path else "", []).append((path, need, entry.endswith("$")))
    return {k: tuple(v) for k, v in out.items()}


_PATHS = {name: _compile(entries) for name, entries in READ_ONLY.items()}
_OPTIONS = {name: {e for e in entries if e.startswith("-")} for name, entries in READ_ONLY.items()}


def size() -> int:
    return sum(len(v) for v in READ_ONLY.values())


def denied(name: str, args: list[str]) -> str | None:
    """An option that sends the tool's credentials elsewhere or loads code, if any."""
    if name in _DENIED_FOR:
        found = next((a for a in args if _DENIED.match(a)), None)
        if found:
            return found
    extra = _DENIED_EXTRA.get(name)
    return next((a for a in args if extra.match(a)), None) if extra else None


def rate(name: str, args: list[str]) -> str | None:
    """'read', 'delete', or None: not known, the utility's own rule decides."""
    words = _positional(name, args)
    pattern = _DELETING_OPTIONS.get(name)
    if pattern and any(pattern.match(a) for a in args):
        if name != "gh" or "DELETE" in [a.upper().split("=")[-1] for a in args]:
            return "delete"
    if name in _DELETING_TOOLS and any(DELETING.match(w) for w in words[:4]):
        return "delete"
    entries = READ_ONLY.get(name)
    if not entries or denied(name, args):
        return None
    if not args:
        return "read" if "$" in entries else None
    first = words[0] if words else ""
    for path, need, exact in _PATHS[name].get(first, ()) + _PATHS[name].get("*", ()):
        if len(words) < len(path) or (exact and len(words) != len(path)):
            continue
        if all(p in ("*", w) for p, w in zip(path, words, strict=False)) and all(
            o in args for o in need
        ):
            return "read"
    options = _OPTIONS[name]
    given = [a for a in args if a.startswith("-") and a != "-"]
    if given and options and all(_known(name, a, options) for a in given):
        if not words or name in _OPERANDS_OK:
            return "read"
    if not given and "$" in entries and name in _OPERANDS_OK:
        return "read"  # `ethtool eth0`, `pidstat 1 3`: operands name what to show
    return None


def _known(name: str, option: str, options: set[str]) -> bool:
    if option in options or option.split("=")[0] in options:
        return True
    if len(option) > 2 and option[1] != "-" and all(f"-{c}" in options for c in option[1:]):
        return True  # a cluster of known flags: `inxi -Fx`, `tcpdump -nn`
    # pacman's query operations bundle their modifiers: `-Qii`, `-Qdtq`, `-Fl`
    return (
        name == "pacman"
        and option[:2] in ("-Q", "-F")
        or (name == "pacman" and option[:3] in ("-Ss", "-Si", "-Sl", "-Sg"))
    )


def _positional(name: str, args: list[str]) -> list[str]:
    takes = _VALUE_OPTS.get(name, frozenset())
    out: list[str] = []
    skip = False
    for a in args:
        if skip:
            skip = False
            continue
        if a.startswith("-"):
            skip = a in takes
            continue
        out.append(a)
    return out


# utilities whose other subcommands and operands change state: not known is `mutates`
STRICT = frozenset(
    """stty resolvectl hostnamectl localectl timedatectl networkctl busctl udevadm bootctl
    coredumpctl machinectl powerprofilesctl fwupdmgr snapper timeshift efibootmgr hwclock
    pactl wpctl cpupower xrandr iw bluetoothctl ufw firewall-cmd tc bridge wg nft umask
    ulimit swapon""".split()
)

KNOWN = (frozenset(READ_ONLY) | _DELETING_TOOLS | frozenset(_DELETING_OPTIONS)) - {"git"}


def networked(name: str) -> bool:
    return name in _NETWORKED
