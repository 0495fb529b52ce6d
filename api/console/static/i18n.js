// Chinese and English: every label of the console, by key; t(key) in the language chosen (kept per browser).
const STRINGS = {
  appTitle: ["QA supervision console", "质检监控台"],
  signIn: ["Sign in", "登录"], signOut: ["Sign out", "退出"], username: ["User name", "用户名"],
  password: ["Password", "密码"], language: ["中文", "English"],
  queue: ["Flagged calls", "待查通话"], calls: ["Calls", "通话"], disputes: ["Disputes", "申诉"],
  calibration: ["Calibration", "校准"], coaching: ["Coaching sets", "培训集"], compliance: ["Compliance", "合规审计"],
  audit: ["Audit log", "审计日志"], stats: ["Statistics", "统计"], uploads: ["Upload", "上传"],
  myCalls: ["My calls", "我的通话"], live: ["Live calls", "实时监听"], alerts: ["Alerts", "告警"],
  agent: ["Agent", "座席"], team: ["Team", "班组"], from: ["From", "起"], to: ["To", "止"],
  direction: ["Direction", "方向"], score: ["Score", "得分"], scoreMin: ["Score ≥", "得分 ≥"], scoreMax: ["Score ≤", "得分 ≤"],
  flag: ["Flag", "标记原因"], reviewState: ["Review", "复核"], sort: ["Sort", "排序"], apply: ["Apply", "筛选"],
  started: ["Started", "开始时间"], duration: ["Duration", "时长"], flags: ["Why flagged", "标记原因"],
  state: ["State", "状态"], any: ["(any)", "（全部）"], previous: ["Previous", "上一页"], next: ["Next", "下一页"],
  total: ["Total", "合计"], open: ["Open", "打开"],
  transcript: ["Transcript", "转写"], findings: ["Scorecard", "评分"], evidence: ["Evidence", "依据"],
  automatic: ["Automatic", "自动"], final: ["Final", "最终"], item: ["Item", "项目"], decision: ["Decision", "判定"],
  confirm: ["confirm", "确认"], pass: ["pass", "通过"], fail: ["fail", "不通过"], na: ["n/a", "不适用"],
  needs_review: ["needs review", "待复核"], comment: ["Comment", "意见"], submitReview: ["Submit review", "提交复核"],
  swapRoles: ["Swap agent/customer", "交换座席/客户"], addClip: ["Add clip to set", "加入培训集"],
  clipFrom: ["Clip from (s)", "片段起 (秒)"], clipTo: ["to (s)", "止 (秒)"], title: ["Title", "标题"],
  note: ["Note", "备注"], example: ["Example", "示例"], good: ["good", "正面"], bad: ["bad", "反面"],
  acknowledge: ["Acknowledge", "确认结果"], dispute: ["Dispute", "申诉"], reason: ["Reason", "理由"],
  raise: ["Send dispute", "提交申诉"], accept: ["Accept", "接受"], reject: ["Reject", "驳回"],
  resolution: ["Resolution", "处理意见"], newScore: ["Corrected score", "更正得分"],
  agentTalk: ["agent", "座席"], customerTalk: ["customer", "客户"], silence: ["silence", "静音"],
  play: ["Play", "播放"], loading: ["Loading…", "加载中…"], saved: ["Saved", "已保存"],
  newSet: ["New set", "新建培训集"], name: ["Name", "名称"], create: ["Create", "创建"], exportZip: ["Export zip", "导出 zip"],
  up: ["Up", "上移"], down: ["Down", "下移"], remove: ["Remove", "删除"], clips: ["Clips", "片段"],
  sessions: ["Sessions", "校准任务"], reviewers: ["Reviewers (user names, comma separated)", "评审人（用户名，逗号分隔）"],
  callIds: ["Calls (ids, comma separated)", "通话（编号，逗号分隔）"], rate: ["Save rating", "保存评分"],
  report: ["Report", "报告"], close: ["Close session", "结束任务"], agreement: ["Agreement", "一致率"],
  kappa: ["Fleiss' κ", "Fleiss κ"], consensus: ["Consensus", "共识"], distance: ["Distance from consensus", "与共识的差距"],
  adherence: ["Adherence", "达标率"], groupBy: ["Group by", "分组"], forbidden: ["Forbidden phrases", "禁用语"],
  downloadCsv: ["Download CSV", "下载 CSV"], action: ["Action", "操作"], user: ["User", "用户"], when: ["When", "时间"],
  detail: ["Detail", "详情"], call: ["Call", "通话"],
  volumePerDay: ["Calls per day", "每日通话量"], callsPerAgent: ["Calls per agent", "座席通话量"],
  talkTrend: ["Average talk time (s)", "平均通话时长（秒）"], contactReasons: ["Contact reasons", "来电类别"],
  businessTypes: ["Business types", "业务类型"], monitored: ["Monitored calls", "监听电话量"],
  grades: ["Agent grades", "座席等级"], rank: ["Rank", "排名"], grade: ["Grade", "等级"], quality: ["Quality", "质量分"],
  complaintRate: ["Complaint rate", "投诉率"], upheld: ["Disputes upheld", "申诉成立"],
  activityRate: ["Customer activity rate", "客户活动率"], perAgentDay: ["Calls per agent per day", "座席日均通话"],
  files: ["Recordings", "录音文件"], metadata: ["Metadata (JSON)", "元数据（JSON）"], send: ["Upload", "上传"],
  inquiry: ["inquiry", "咨询"], complaint: ["complaint", "投诉"], suggestion: ["suggestion", "建议"], praise: ["praise", "表扬"],
  account_inquiry: ["account inquiry", "账户查询"], bill_payment: ["bill payment", "代缴费"], transfer: ["transfer", "转账汇款"],
  card_services: ["card services", "银行卡业务"], loans_repayment: ["loans and repayment", "贷款还款"],
  wealth_products: ["wealth products", "理财产品"], other: ["other", "其他"],
  noCalls: ["No calls.", "没有通话。"], none: ["none", "无"], forbiddenPage: ["Not allowed here.", "无权访问。"],
};

const KEY = "qa.lang";
export let lang = localStorage.getItem(KEY) || (navigator.language.startsWith("zh") ? "zh" : "en");

export function t(key) {
  const pair = STRINGS[key];
  if (!pair) return key;
  return lang === "zh" ? pair[1] : pair[0];
}

export function setLang(value) {
  lang = value;
  localStorage.setItem(KEY, value);
  document.documentElement.lang = value === "zh" ? "zh-CN" : "en";
}
