import type { HeaderFields } from '../types.ts'

/**
 * Golden samples: a few lines written in the style of common systems (our own text, not copied
 * from any dataset), the content we expect after the header, and the fields of the first line.
 */
export interface Golden {
  readonly name: string
  readonly lines: readonly string[]
  readonly contents: readonly string[]
  readonly first: Partial<HeaderFields>
}

export const GOLDEN: readonly Golden[] = [
  {
    name: 'hdfs-style compact date, pid, level, component:',
    lines: [
      '240102 101500 17 INFO store.Writer$Flusher: Flusher 2 for segment seg_1234 done',
      '240102 101501 17 INFO store.Writer$Flusher: Flusher 0 for segment seg_-99 done',
      '240102 101502 230 WARN store.Index: lookup of key k_77 took 30 ms',
      '240102 101503 9 INFO store.Reader: Opened segment seg_42 size 4096'
    ],
    contents: ['Flusher 2 for segment seg_1234 done', 'Flusher 0 for segment seg_-99 done', 'lookup of key k_77 took 30 ms', 'Opened segment seg_42 size 4096'],
    first: { ts: Date.UTC(2024, 0, 2, 10, 15), level: 'INFO', component: 'store.Writer$Flusher', pid: '17' }
  },
  {
    name: 'java-style date time,millis level [thread] logger:',
    lines: [
      '2023-04-05 06:07:08,123 INFO [main] com.acme.app.Server: Starting server on port 8080',
      '2023-04-05 06:07:09,001 WARN [pool-1-thread-3] com.acme.app.Cache: Cache miss for key: user:17',
      '2023-04-05 06:07:10,500 ERROR [main] com.acme.app.Server: Failed to bind: address in use',
      '2023-04-05 06:07:11,999 INFO [IPC Server handler 4] com.acme.rpc.Handler: Served call 12'
    ],
    contents: ['Starting server on port 8080', 'Cache miss for key: user:17', 'Failed to bind: address in use', 'Served call 12'],
    first: { ts: Date.UTC(2023, 3, 5, 6, 7, 8, 123), level: 'INFO', component: 'com.acme.app.Server', thread: 'main' }
  },
  {
    name: 'zookeeper-style with dashes and a bracketed location',
    lines: [
      '2023-01-02 03:04:05,678 - INFO  [main:Quorum@123] - Election round 4 started',
      '2023-01-02 03:04:06,001 - WARN  [Send:Worker@77] - Connection to peer 3 lost',
      '2023-01-02 03:04:07,100 - ERROR [Recv[id=2]:Listener@9] - Unexpected frame: size 0',
      '2023-01-02 03:04:08,250 - INFO  [main:Quorum@124] - Election round 5 started'
    ],
    contents: ['Election round 4 started', 'Connection to peer 3 lost', 'Unexpected frame: size 0', 'Election round 5 started'],
    first: { level: 'INFO', thread: 'main:Quorum@123' }
  },
  {
    name: 'syslog with host and program[pid]:',
    lines: [
      'Mar  3 01:02:03 gateway cron[1201]: job nightly started',
      'Mar  3 01:02:04 gateway sshd[88]: Accepted key for admin from 10.0.0.5 port 5022',
      'Mar 13 11:12:13 gateway kernel: eth0 link up',
      'Mar 13 11:12:14 gateway su(pam_unix)[900]: session opened for user root'
    ],
    contents: ['job nightly started', 'Accepted key for admin from 10.0.0.5 port 5022', 'eth0 link up', 'session opened for user root'],
    first: { ts: Date.UTC(2024, 2, 3, 1, 2, 3), component: 'cron', pid: '1201' }
  },
  {
    name: 'logcat with pid, tid and one-letter level',
    lines: [
      '05-06 07:08:09.010  1200  1300 D Radio: signal level 3',
      '05-06 07:08:09.020  1200  1301 I ActivityTasks: start activity com.acme/.Main',
      '05-06 07:08:09.030   999  1000 W Power: wake lock held 12 ms',
      '05-06 07:08:09.040  1200  1300 E Radio: modem reset'
    ],
    contents: ['signal level 3', 'start activity com.acme/.Main', 'wake lock held 12 ms', 'modem reset'],
    first: { level: 'D', component: 'Radio', pid: '1200', thread: '1300' }
  },
  {
    name: 'apache error log with bracketed ctime and level',
    lines: [
      '[Mon Jan 08 10:11:12 2024] [notice] server ready to accept connections',
      '[Mon Jan 08 10:11:13 2024] [error] [client 10.1.1.1] file does not exist: /var/www/x',
      '[Mon Jan 08 10:11:14 2024] [warn] child 4021 still did not exit'
    ],
    contents: ['server ready to accept connections', '[client 10.1.1.1] file does not exist: /var/www/x', 'child 4021 still did not exit'],
    first: { ts: Date.UTC(2024, 0, 8, 10, 11, 12), level: 'notice' }
  },
  {
    name: 'aligned columns padded with spaces (no colon)',
    lines: [
      '2022-02-03 04:05:06, Info                  SVC    Loaded module alpha with flags: 3',
      '2022-02-03 04:05:07, Info                  SVC    Session: 77 initialized',
      '2022-02-03 04:05:08, Warning               NET    Reading manifest failed',
      '2022-02-03 04:05:09, Info                  SVC    Ending session 77'
    ],
    contents: ['Loaded module alpha with flags: 3', 'Session: 77 initialized', 'Reading manifest failed', 'Ending session 77'],
    first: { level: 'Info', component: 'SVC' }
  },
  {
    name: 'supercomputer-style epoch, date, node fields, level last',
    lines: [
      '1117838570 2005.06.03 R01-M0-N1 2005-06-03-15.42.50.675872 R01-M0-N1 RAS KERNEL INFO cache parity error corrected',
      '1117838571 2005.06.03 R01-M0-N2 2005-06-03-15.42.51.100000 R01-M0-N2 RAS KERNEL FATAL data TLB error interrupt',
      '1117838572 2005.06.03 R02-M1-N0 2005-06-03-15.42.52.200000 R02-M1-N0 RAS APP ERROR ciod: failed to read message prefix',
      '1117838573 2005.06.03 R01-M0-N1 2005-06-03-15.42.53.300000 R01-M0-N1 RAS KERNEL INFO 3 ddr errors detected'
    ],
    contents: ['cache parity error corrected', 'data TLB error interrupt', 'ciod: failed to read message prefix', '3 ddr errors detected'],
    first: { ts: 1117838570000, level: 'INFO' }
  },
  {
    name: 'numeric id, node, component, state, epoch, flag',
    lines: [
      '4001 node-12 unix.hw state_change.up 1077804742 1 Component State Change: fan 3 is ok',
      '4002 node-7 action start 1077804743 1 boot (command 12) started',
      '4003 node-12 unix.hw state_change.down 1077804744 0 Component State Change: fan 4 failed',
      '4004 switch-3 net link 1077804745 1 Link error on port 7'
    ],
    contents: ['Component State Change: fan 3 is ok', 'boot (command 12) started', 'Component State Change: fan 4 failed', 'Link error on port 7'],
    first: { ts: 1077804742000 }
  },
  {
    name: 'pipe-delimited',
    lines: [
      '20171223-22:15:29:606|Step_Counter|30002312|onStepChanged 3579',
      '20171223-22:15:29:615|Step_Counter|30002312|flush steps=12',
      '20171223-22:15:30:001|Step_Screen|30002312|screen on | brightness 40'
    ],
    contents: ['onStepChanged 3579', 'flush steps=12', 'screen on | brightness 40'],
    first: { ts: Date.UTC(2017, 11, 23, 22, 15, 29, 606), component: 'Step_Counter' }
  },
  {
    name: 'pipe-delimited with padding and a spaced timestamp',
    lines: [
      '2024-02-03 04:05:06.789 | INFO  | api.Router | GET /health 200 in 3 ms',
      '2024-02-03 04:05:07.001 | WARN  | api.Auth   | token expired for user 42',
      '2024-02-03 04:05:08.120 | ERROR | db.Pool    | connection reset | retrying'
    ],
    contents: ['GET /health 200 in 3 ms', 'token expired for user 42', 'connection reset | retrying'],
    first: { ts: Date.UTC(2024, 1, 3, 4, 5, 6, 789), level: 'INFO', component: 'api.Router' }
  },
  {
    name: 'bracketed short date then program and dash',
    lines: [
      '[10.30 16:49:06] browser.exe - proxy.example.org:5070 open through proxy',
      '[10.30 16:49:07] mail.exe - mail.example.org:993 close, 1024 bytes sent',
      '[10.30 16:49:08] browser.exe - proxy.example.org:5070 error: could not connect'
    ],
    contents: ['proxy.example.org:5070 open through proxy', 'mail.example.org:993 close, 1024 bytes sent', 'proxy.example.org:5070 error: could not connect'],
    first: { ts: Date.UTC(2024, 9, 30, 16, 49, 6) }
  },
  {
    name: 'program names of varying length before a dash',
    lines: [
      '[10.30 16:49:06] browser.exe - proxy.example.org:5070 open through proxy',
      '[10.30 16:49:07] sync.exe *64 - files.example.org:443 close, 1024 bytes sent',
      '[10.30 16:49:08] browser.exe - proxy.example.org:5070 error: could not connect',
      '[10.30 16:49:09] updater.exe *64 - cdn.example.org:80 open through proxy'
    ],
    contents: ['proxy.example.org:5070 open through proxy', 'files.example.org:443 close, 1024 bytes sent', 'proxy.example.org:5070 error: could not connect', 'cdn.example.org:80 open through proxy'],
    first: { component: 'browser.exe' }
  },
  {
    name: 'file name, date time, pid, level, logger, request context',
    lines: [
      'api.log.1 2017-05-16 00:00:00.008 25746 INFO app.wsgi.server [req-1a2b 11aa 22bb - - -] 10.0.0.1 "GET /v2/servers HTTP/1.1" status: 200',
      'api.log.1 2017-05-16 00:00:01.100 25746 INFO app.compute.manager [req-3c4d 11aa 22bb - - -] [instance: 42] VM started',
      'api.log.1 2017-05-16 00:00:02.200 25747 WARNING app.compute.manager [-] Sync found 3 instances'
    ],
    contents: ['10.0.0.1 "GET /v2/servers HTTP/1.1" status: 200', '[instance: 42] VM started', 'Sync found 3 instances'],
    first: { level: 'INFO', component: 'app.wsgi.server' }
  },
  {
    name: 'no header at all',
    lines: ['user logged in', 'cache warmed in 30 ms', 'shutting down'],
    contents: ['user logged in', 'cache warmed in 30 ms', 'shutting down'],
    first: { ts: null, level: null }
  }
]
