<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>AppController</name>
    <message>
        <location filename="../../desktop_crf/ui/controller.py" line="91"/>
        <source>Unexpected error: {0}</source>
        <translation>意外错误：{0}</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/controller.py" line="299"/>
        <source>desktop-crf</source>
        <translation>desktop-crf</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/controller.py" line="313"/>
        <source>desktop-crf: unexpected error</source>
        <translation>desktop-crf：意外错误</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/controller.py" line="315"/>
        <source>Something went wrong inside desktop-crf. Nothing saved before was lost. Please send the details below to your data manager.</source>
        <translation>desktop-crf 内部出错。之前保存的数据均未丢失。请将以下详细信息发送给您的数据管理员。</translation>
    </message>
</context>
<context>
    <name>EnrolDialog</name>
    <message>
        <location filename="../../desktop_crf/ui/enrol_dialog.py" line="36"/>
        <source>Enrol {0}</source>
        <translation>入组 {0}</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/enrol_dialog.py" line="51"/>
        <source>YYYY-MM-DD</source>
        <translation>YYYY-MM-DD</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/enrol_dialog.py" line="54"/>
        <source>Arm</source>
        <translation>组别</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/enrol_dialog.py" line="55"/>
        <source>NA drug</source>
        <translation>核苷（酸）类似物</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/enrol_dialog.py" line="57"/>
        <source>Consent date</source>
        <translation>知情同意日期</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/enrol_dialog.py" line="58"/>
        <source>Consent version</source>
        <translation>知情同意书版本</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/enrol_dialog.py" line="69"/>
        <source>Enrol</source>
        <translation>入组</translation>
    </message>
</context>
<context>
    <name>FormView</name>
    <message>
        <location filename="../../desktop_crf/ui/form_view.py" line="107"/>
        <source>Save draft (Ctrl+S)</source>
        <translation>保存草稿（Ctrl+S）</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/form_view.py" line="110"/>
        <source>Complete</source>
        <translation>完成</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/form_view.py" line="113"/>
        <source>Sign…</source>
        <translation>签名…</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/form_view.py" line="147"/>
        <source>Add {0}</source>
        <translation>添加{0}</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/form_view.py" line="236"/>
        <source>Unsaved typing from before was restored. Save to keep it.</source>
        <translation>已恢复之前未保存的输入。请保存以保留。</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/form_view.py" line="258"/>
        <source>not started</source>
        <translation>未开始</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/form_view.py" line="259"/>
        <source>draft</source>
        <translation>草稿</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/form_view.py" line="260"/>
        <source>complete</source>
        <translation>已完成</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/form_view.py" line="269"/>
        <source>Signed by {0} on {1} UTC — “{2}”</source>
        <translation>由{0}于 {1} UTC 签名——“{2}”</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/form_view.py" line="275"/>
        <source>Signature broken: the data changed after {0} signed on {1} UTC. Re-sign required.</source>
        <translation>签名已失效：{0}于 {1} UTC 签名后数据已更改。需要重新签名。</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/form_view.py" line="334"/>
        <source>{0} errors, {1} warnings</source>
        <translation>{0} 个错误，{1} 个警告</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/form_view.py" line="385"/>
        <source>{0} errors must be corrected before the form can be completed.</source>
        <translation>必须更正 {0} 个错误后才能完成此表单。</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/form_view.py" line="401"/>
        <source>Please confirm</source>
        <translation>请确认</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/form_view.py" line="402"/>
        <source>Some values are unusual. Save them as entered?</source>
        <translation>部分数值异常。按输入内容保存吗？</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/form_view.py" line="490"/>
        <source>Suggested adverse event</source>
        <translation>建议的不良事件</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/form_view.py" line="492"/>
        <source>{0} → CTCAE grade {1} ({2}): add to the AE log?</source>
        <translation>{0} → CTCAE {1} 级（{2}）：加入不良事件记录吗？</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/form_view.py" line="514"/>
        <source>Save the form before signing it.</source>
        <translation>请先保存表单再签名。</translation>
    </message>
</context>
<context>
    <name>ItemField</name>
    <message>
        <location filename="../../desktop_crf/ui/fields.py" line="59"/>
        <source>Yes</source>
        <translation>是</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/fields.py" line="60"/>
        <source>No</source>
        <translation>否</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/fields.py" line="102"/>
        <source>YYYY-MM-DD</source>
        <translation>YYYY-MM-DD</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/fields.py" line="104"/>
        <source>YYYY-MM-DD, YYYY-MM or YYYY</source>
        <translation>YYYY-MM-DD、YYYY-MM 或 YYYY</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/fields.py" line="106"/>
        <source>number, or &lt;10 / &gt;1000</source>
        <translation>数值，或 &lt;10 / &gt;1000</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/fields.py" line="108"/>
        <source>calculated</source>
        <translation>自动计算</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <location filename="../../desktop_crf/ui/main_window.py" line="73"/>
        <source>desktop-crf — {0}</source>
        <translation>desktop-crf——{0}</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/main_window.py" line="89"/>
        <source>DEMO SITE — demonstration data only. This site never synchronises.</source>
        <translation>演示中心——仅为演示数据。本中心从不同步。</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/main_window.py" line="111"/>
        <location filename="../../desktop_crf/ui/main_window.py" line="123"/>
        <source>Subjects</source>
        <translation>受试者</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/main_window.py" line="120"/>
        <source>{0} ({1})</source>
        <translation>{0}（{1}）</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/main_window.py" line="128"/>
        <source>Search subject id or initials</source>
        <translation>搜索受试者编号或姓名缩写</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/main_window.py" line="135"/>
        <source>All arms</source>
        <translation>全部组别</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/main_window.py" line="138"/>
        <source>All statuses</source>
        <translation>全部状态</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/main_window.py" line="140"/>
        <source>screening</source>
        <translation>筛选中</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/main_window.py" line="141"/>
        <source>enrolled</source>
        <translation>已入组</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/main_window.py" line="142"/>
        <source>withdrawn</source>
        <translation>已退出</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/main_window.py" line="145"/>
        <source>Visits open or overdue</source>
        <translation>访视进行中或已逾期</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/main_window.py" line="154"/>
        <source>Language</source>
        <translation>语言</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/main_window.py" line="162"/>
        <source>New screening</source>
        <translation>新建筛选</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/main_window.py" line="167"/>
        <source>Refresh</source>
        <translation>刷新</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/main_window.py" line="171"/>
        <source>Lock</source>
        <translation>锁定</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/main_window.py" line="227"/>
        <source>{0} subjects</source>
        <translation>{0} 名受试者</translation>
    </message>
</context>
<context>
    <name>ReasonDialog</name>
    <message>
        <location filename="../../desktop_crf/ui/dialogs.py" line="22"/>
        <source>Reason for change</source>
        <translation>修改原因</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/dialogs.py" line="25"/>
        <source>You are changing values that were saved before ({0}). Say why.</source>
        <translation>您正在修改已保存的数值（{0}）。请说明原因。</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/dialogs.py" line="32"/>
        <source>e.g. transcription error, lab report corrected</source>
        <translation>例如：转录错误、化验报告更正</translation>
    </message>
</context>
<context>
    <name>SignDialog</name>
    <message>
        <location filename="../../desktop_crf/ui/dialogs.py" line="56"/>
        <location filename="../../desktop_crf/ui/dialogs.py" line="83"/>
        <source>Sign</source>
        <translation>签名</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/dialogs.py" line="60"/>
        <source>{0}, you are signing {1}. Your signature is linked to the data as they are now; any later change will require signing again.</source>
        <translation>{0}，您正在签署{1}。您的签名与当前数据关联；之后的任何修改都需要重新签名。</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/dialogs.py" line="67"/>
        <source>I approve this form</source>
        <translation>我批准此表单</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/dialogs.py" line="72"/>
        <source>Meaning</source>
        <translation>签名含义</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/dialogs.py" line="73"/>
        <source>Password</source>
        <translation>密码</translation>
    </message>
</context>
<context>
    <name>SubjectTableModel</name>
    <message>
        <location filename="../../desktop_crf/ui/subject_table.py" line="25"/>
        <source>Subject</source>
        <translation>受试者</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/subject_table.py" line="26"/>
        <source>Initials</source>
        <translation>姓名缩写</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/subject_table.py" line="27"/>
        <source>Arm</source>
        <translation>组别</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/subject_table.py" line="28"/>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/subject_table.py" line="29"/>
        <source>Enrolled</source>
        <translation>入组日期</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/subject_table.py" line="30"/>
        <source>Next visit</source>
        <translation>下次访视</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/subject_table.py" line="31"/>
        <source>Window</source>
        <translation>时间窗</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/subject_table.py" line="32"/>
        <source>Open AEs</source>
        <translation>未结束的不良事件</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/subject_table.py" line="33"/>
        <source>SAE clock</source>
        <translation>SAE 报告时限</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/subject_table.py" line="88"/>
        <source>open</source>
        <translation>进行中</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/subject_table.py" line="89"/>
        <source>overdue</source>
        <translation>已逾期</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/subject_table.py" line="90"/>
        <source>upcoming</source>
        <translation>即将到来</translation>
    </message>
</context>
<context>
    <name>SubjectView</name>
    <message>
        <location filename="../../desktop_crf/ui/subject_view.py" line="80"/>
        <source>Visits and forms (double-click a form to open it)</source>
        <translation>访视与表单（双击表单打开）</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/subject_view.py" line="84"/>
        <source>Visit / form</source>
        <translation>访视 / 表单</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/subject_view.py" line="84"/>
        <source>Target</source>
        <translation>目标日期</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/subject_view.py" line="84"/>
        <source>Window</source>
        <translation>时间窗</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/subject_view.py" line="84"/>
        <source>State</source>
        <translation>状态</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/subject_view.py" line="89"/>
        <source>Add unscheduled visit</source>
        <translation>添加计划外访视</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/subject_view.py" line="93"/>
        <source>Sign visit…</source>
        <translation>签署访视…</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/subject_view.py" line="105"/>
        <source>Eligibility (from the screening forms)</source>
        <translation>入选资格（来自筛选表单）</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/subject_view.py" line="109"/>
        <source>Criterion</source>
        <translation>标准</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/subject_view.py" line="109"/>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/subject_view.py" line="109"/>
        <source>Why</source>
        <translation>原因</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/subject_view.py" line="111"/>
        <source>Enrol…</source>
        <translation>入组…</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/subject_view.py" line="115"/>
        <source>Adverse events</source>
        <translation>不良事件</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/subject_view.py" line="119"/>
        <source>#</source>
        <translation>#</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/subject_view.py" line="119"/>
        <source>Term</source>
        <translation>术语</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/subject_view.py" line="119"/>
        <source>Grade</source>
        <translation>分级</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/subject_view.py" line="119"/>
        <source>Onset</source>
        <translation>发生日期</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/subject_view.py" line="119"/>
        <location filename="../../desktop_crf/ui/subject_view.py" line="271"/>
        <source>SAE</source>
        <translation>严重不良事件</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/subject_view.py" line="123"/>
        <source>Open AE log</source>
        <translation>打开不良事件记录</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/subject_view.py" line="165"/>
        <source>NA: {0}</source>
        <translation>核苷（酸）类似物：{0}</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/subject_view.py" line="168"/>
        <source>consent {0} (version {1})</source>
        <translation>知情同意 {0}（版本 {1}）</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/subject_view.py" line="176"/>
        <location filename="../../desktop_crf/ui/subject_view.py" line="194"/>
        <source>screening</source>
        <translation>筛选中</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/subject_view.py" line="177"/>
        <source>enrolled</source>
        <translation>已入组</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/subject_view.py" line="178"/>
        <source>withdrawn</source>
        <translation>已退出</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/subject_view.py" line="183"/>
        <source>not started</source>
        <translation>未开始</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/subject_view.py" line="184"/>
        <source>draft</source>
        <translation>草稿</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/subject_view.py" line="185"/>
        <source>complete</source>
        <translation>已完成</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/subject_view.py" line="186"/>
        <source>signed</source>
        <translation>已签名</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/subject_view.py" line="187"/>
        <source>signature broken — re-sign required</source>
        <translation>签名已失效——需要重新签名</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/subject_view.py" line="188"/>
        <source>upcoming</source>
        <translation>即将到来</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/subject_view.py" line="189"/>
        <source>open</source>
        <translation>进行中</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/subject_view.py" line="190"/>
        <source>overdue</source>
        <translation>已逾期</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/subject_view.py" line="191"/>
        <source>done</source>
        <translation>已完成</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/subject_view.py" line="192"/>
        <source>missed</source>
        <translation>已错过</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/subject_view.py" line="193"/>
        <source>unscheduled</source>
        <translation>计划外</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/subject_view.py" line="236"/>
        <source>met</source>
        <translation>符合</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/subject_view.py" line="237"/>
        <source>not met</source>
        <translation>不符合</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/subject_view.py" line="238"/>
        <source>unknown</source>
        <translation>未知</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/subject_view.py" line="260"/>
        <source>Not eligible yet: {0}</source>
        <translation>尚不符合入选条件：{0}</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/subject_view.py" line="284"/>
        <source>SAE 24-hour clock: {0}</source>
        <translation>严重不良事件24小时报告时限：{0}</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/subject_view.py" line="316"/>
        <source>I approve the data of this visit</source>
        <translation>我批准此访视的数据</translation>
    </message>
</context>
<context>
    <name>UnlockWindow</name>
    <message>
        <location filename="../../desktop_crf/ui/unlock_window.py" line="30"/>
        <source>desktop-crf — unlock</source>
        <translation>desktop-crf——解锁</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/unlock_window.py" line="50"/>
        <source>The site was locked. Enter your password to continue.</source>
        <translation>中心已锁定。请输入密码继续。</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/unlock_window.py" line="57"/>
        <source>user name</source>
        <translation>用户名</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/unlock_window.py" line="61"/>
        <source>User</source>
        <translation>用户</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/unlock_window.py" line="62"/>
        <source>Password</source>
        <translation>密码</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/unlock_window.py" line="78"/>
        <source>Unlock</source>
        <translation>解锁</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/unlock_window.py" line="90"/>
        <source>Demo site: sign in as admin, nurse, investigator or monitor with the password demo-password.</source>
        <translation>演示中心：以 admin、nurse、investigator 或 monitor 登录，密码为 demo-password。</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/unlock_window.py" line="105"/>
        <source>desktop-crf</source>
        <translation>desktop-crf</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/unlock_window.py" line="108"/>
        <source>DEMO — {0} (demonstration data, never synced)</source>
        <translation>演示——{0}（演示数据，从不同步）</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/unlock_window.py" line="114"/>
        <source>Enter your user name and password.</source>
        <translation>请输入用户名和密码。</translation>
    </message>
</context>
<context>
    <name>main</name>
    <message>
        <location filename="../../desktop_crf/app.py" line="43"/>
        <source>Open a site</source>
        <translation>打开中心</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/app.py" line="51"/>
        <source>No desktop-crf site was found in {0}.</source>
        <translation>在 {0} 中未找到 desktop-crf 中心。</translation>
    </message>
</context>
</TS>
